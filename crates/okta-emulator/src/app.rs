//! The state shared by every request handler: configuration, users, rate-limit counters,
//! OAuth tokens, request statistics and the in-flight gauge. Holds data only.

use super::auth::OAuthState;
use super::config::EmulatorConfig;
use super::ratelimit::Limiter;
use super::state::{Store, lock};
use super::stats::StatsBook;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Everything the emulator holds, behind one `Arc`.
#[derive(Debug)]
pub struct Shared {
    /// `http://127.0.0.1:PORT`, used in links and as the OAuth audience.
    pub base_url: String,
    /// Current configuration (changeable at run time).
    pub config: Mutex<EmulatorConfig>,
    /// The users.
    pub store: Mutex<Store>,
    /// Rate-limit windows.
    pub limiter: Mutex<Limiter>,
    /// Issued OAuth tokens and used assertion ids.
    pub oauth: Mutex<OAuthState>,
    /// Request counters.
    pub stats: Mutex<StatsBook>,
    /// API requests in flight now.
    pub in_flight: AtomicU64,
    /// Highest `in_flight` seen since the last stats reset.
    pub peak_in_flight: AtomicU64,
}

/// The handle handlers receive as axum state.
pub type App = Arc<Shared>;

impl Shared {
    /// A fresh state.
    pub fn new(base_url: String, config: EmulatorConfig) -> Self {
        Self {
            base_url,
            config: Mutex::new(config),
            store: Mutex::new(Store::default()),
            limiter: Mutex::new(Limiter::default()),
            oauth: Mutex::new(OAuthState::default()),
            stats: Mutex::new(StatsBook::default()),
            in_flight: AtomicU64::new(0),
            peak_in_flight: AtomicU64::new(0),
        }
    }

    /// A copy of the configuration.
    pub fn config(&self) -> EmulatorConfig {
        lock(&self.config).clone()
    }

    /// Clears counters and the in-flight peak.
    pub fn reset_stats(&self) {
        lock(&self.stats).clear();
        self.peak_in_flight
            .store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}
