//! The state shared by every request handler: configuration, users, rate-limit counters,
//! OAuth tokens, request statistics and the in-flight gauge. Holds data only.

use super::auth::OAuthState;
use super::clock::Clock;
use super::config::EmulatorConfig;
use super::ratelimit::Limiter;
use super::schema::Schema;
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
    /// The org clock (user timestamps, search lag, activation delays).
    pub clock: Clock,
}

/// The handle handlers receive as axum state.
pub type App = Arc<Shared>;

impl Shared {
    /// A fresh state.
    pub fn new(base_url: String, config: EmulatorConfig) -> Self {
        let clock = Clock::default();
        let mut store = Store::default();
        store.clear(Schema::new(config.schema_properties(), clock.now()));
        store.set_search_lag(config.faults.search_lag_ms);
        Self {
            base_url,
            config: Mutex::new(config),
            store: Mutex::new(store),
            limiter: Mutex::new(Limiter::default()),
            oauth: Mutex::new(OAuthState::default()),
            stats: Mutex::new(StatsBook::default()),
            in_flight: AtomicU64::new(0),
            peak_in_flight: AtomicU64::new(0),
            clock,
        }
    }

    /// The org's current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Brings the store in step with a changed configuration: adds newly declared custom
    /// properties and switches the search lag.
    pub fn config_changed(&self) {
        let config = self.config();
        let at = self.now();
        let mut store = lock(&self.store);
        store.add_properties(&config.schema_properties(), at);
        store.set_search_lag(config.faults.search_lag_ms);
    }

    /// Drops every user and restores the configured schema.
    pub fn reset_org(&self) {
        let config = self.config();
        let at = self.now();
        let mut store = lock(&self.store);
        store.clear(Schema::new(config.schema_properties(), at));
        store.set_search_lag(config.faults.search_lag_ms);
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
