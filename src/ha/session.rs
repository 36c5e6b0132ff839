//! A process's share in the leader lease: its [`Leadership`], the keeper task that maintains
//! it on a journal connection of its own, and a clean end that gives the lease up.
//!
//! `hrsync run` keeps one for its lifetime; a one-shot `hrsync sync` takes one for the run
//! and refuses to start while another instance leads. Nothing here runs syncs.

use super::{Leadership, Role, keeper};
use crate::config::{HaConfig, JournalConfig};
use crate::journal::{Journal, JournalError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long ending a session may wait for the keeper to give the lease up.
const END_GRACE: Duration = Duration::from_secs(10);

/// The lease, kept by a background task until [`Session::end`].
#[derive(Debug)]
pub struct Session {
    leadership: Arc<Leadership>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Session {
    /// Opens the keeper's own connection to the (PostgreSQL) journal, makes a first attempt
    /// at the lease (so the role is known on return), and keeps it from then on.
    pub async fn begin(journal: &JournalConfig, ha: &HaConfig) -> Result<Session, JournalError> {
        let config = journal.clone();
        let journal = tokio::task::spawn_blocking(move || Journal::from_config(&config))
            .await
            .map_err(|e| JournalError::Unavailable {
                location: "the lease keeper".to_owned(),
                message: format!("the journal did not open: {e}"),
            })??;
        let holder = ha.holder.clone().unwrap_or_else(super::default_holder);
        let leadership = Leadership::new(holder, ha.lease);
        keeper::tick(&leadership, &journal).await;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(keeper::keep(Arc::clone(&leadership), journal, stopped));
        Ok(Session {
            leadership,
            stop,
            task,
        })
    }

    /// This instance's leadership.
    pub fn leadership(&self) -> &Arc<Leadership> {
        &self.leadership
    }

    /// The role now.
    pub fn role(&self) -> Role {
        self.leadership.role()
    }

    /// Stops the keeper, which gives the lease up if it holds it (a standby then takes over at
    /// once instead of after expiry).
    pub async fn end(self) {
        self.stop.send_replace(true);
        let mut task = self.task;
        if tokio::time::timeout(END_GRACE, &mut task).await.is_err() {
            task.abort();
            tracing::warn!("the lease keeper did not stop in time; the lease expires by itself");
        }
    }
}
