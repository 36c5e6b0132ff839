//! The journal in PostgreSQL (`[journal] url`): the same tables and meaning as the SQLite
//! journal, versioned migrations of its own ([`schema`]), and the same synchronous calls.
//!
//! One connection, owned by a thread of its own that runs a blocking `postgres` client (so
//! the journal's calls work from async code, which may not block on a runtime of its own):
//! each call hands a job to the thread and waits for its answer at most [`CALL_TIMEOUT`];
//! the server stops any statement after [`STATEMENT_TIMEOUT`]. A connection that broke is
//! made again before the next job. Several hrsync processes may share the database.
//!
//! It must not: block without a bound, show the URL's password (errors carry it masked), or
//! decide anything (as the SQLite journal, it records what others decided).

mod browse;
pub(super) mod lease;
mod okta_cache;
mod read;
pub(super) mod schema;
mod settled;
mod tables;
mod write;

use super::JournalError;
use crate::db::{DbTarget, Tls};
use postgres::Client;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The server stops a journal statement running longer than this.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// The server ends a journal session left idle inside a transaction this long. Journal
/// transactions never wait on anything but their own next statement, so only a paused or hung
/// process gets there, and it must not keep the lease row locked (an intent holds it `FOR
/// SHARE`): a standby's takeover would wait on a leader SIGSTOPped mid-intent. Below the
/// shortest lease (2 s).
const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_millis(1500);
/// The longest a call waits for its answer (a connect plus a statement, with room).
pub(super) const CALL_TIMEOUT: Duration = Duration::from_secs(60);

type Job = Box<dyn FnOnce(&mut Option<Client>) + Send>;

/// The handle on the journal thread.
pub(super) struct PgJournal {
    target: DbTarget,
    jobs: Mutex<SyncSender<Job>>,
    /// Every session of a read-only handle runs with `default_transaction_read_only`.
    read_only: bool,
}

impl std::fmt::Debug for PgJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgJournal")
            .field("url", &self.target.shown())
            .finish_non_exhaustive()
    }
}

/// A driver error as a journal error, its text scrubbed of the password.
pub(super) fn db_error(target: &DbTarget) -> impl Fn(postgres::Error) -> JournalError + '_ {
    move |source| JournalError::Postgres {
        message: crate::db::pg::error_text(&source, target),
    }
}

impl PgJournal {
    /// Connects, migrates (unless `read_only`: then the schema must be this build's) and
    /// starts the journal thread.
    pub(super) fn open(target: &DbTarget, read_only: bool) -> Result<PgJournal, JournalError> {
        let (jobs, queue) = sync_channel::<Job>(16);
        std::thread::Builder::new()
            .name("hrsync-journal-pg".into())
            .spawn(move || serve(&queue))
            .map_err(|e| JournalError::Unavailable {
                location: target.shown().to_owned(),
                message: format!("cannot start the journal thread: {e}"),
            })?;
        let journal = PgJournal {
            target: target.clone(),
            jobs: Mutex::new(jobs),
            read_only,
        };
        journal.call(move |c, t| {
            if read_only {
                schema::check_current(c, t)
            } else {
                schema::migrate(c, t)
            }
        })?;
        Ok(journal)
    }

    /// Runs `job` on the journal thread's connection and waits for its answer.
    pub(super) fn call<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Client, &DbTarget) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, JournalError> {
        let unavailable = |message: String| JournalError::Unavailable {
            location: self.target.shown().to_owned(),
            message,
        };
        let (answer, wait) = sync_channel::<Result<T, JournalError>>(1);
        let target = self.target.clone();
        let read_only = self.read_only;
        let work: Job = Box::new(move |client: &mut Option<Client>| {
            let result = match connected(client, &target, read_only) {
                Ok(c) => job(c, &target),
                Err(e) => Err(e),
            };
            let _ = answer.send(result);
        });
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .send(work)
            .map_err(|_| unavailable("the journal thread has stopped".into()))?;
        match wait.recv_timeout(CALL_TIMEOUT) {
            Ok(result) => result,
            Err(_) => Err(unavailable(format!(
                "no answer within {} s",
                CALL_TIMEOUT.as_secs()
            ))),
        }
    }
}

/// The journal thread: runs jobs in order until every handle is gone.
fn serve(queue: &Receiver<Job>) {
    let mut client: Option<Client> = None;
    while let Ok(job) = queue.recv() {
        job(&mut client);
    }
}

/// The connection, made (again) when there is none or it broke.
fn connected<'c>(
    client: &'c mut Option<Client>,
    target: &DbTarget,
    read_only: bool,
) -> Result<&'c mut Client, JournalError> {
    if client.as_ref().is_some_and(Client::is_closed) {
        *client = None;
    }
    if client.is_none() {
        *client = Some(connect(target, read_only)?);
    }
    client.as_mut().ok_or_else(|| JournalError::Unavailable {
        location: target.shown().to_owned(),
        message: "no connection".into(),
    })
}

fn connect(target: &DbTarget, read_only: bool) -> Result<Client, JournalError> {
    let unavailable = |message: String| JournalError::Unavailable {
        location: target.shown().to_owned(),
        message,
    };
    let mut config = tokio_postgres::Config::from_str(target.driver_url())
        .map_err(|e| unavailable(target.scrub(&format!("the URL is not usable: {e}"))))?;
    config.connect_timeout(CONNECT_TIMEOUT);
    config.application_name("hrsync journal");
    config.options(format!(
        "-c statement_timeout={ms} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={idle} -c default_transaction_read_only={}",
        if read_only { "on" } else { "off" },
        ms = STATEMENT_TIMEOUT.as_millis(),
        idle = IDLE_IN_TRANSACTION_TIMEOUT.as_millis(),
    ));
    let config = postgres::Config::from(config);
    let client = match &target.tls {
        Tls::Disable => {
            let mut config = config;
            config.ssl_mode(postgres::config::SslMode::Disable);
            config.connect(postgres::NoTls)
        }
        Tls::Verify { ca_file } => {
            let mut config = config;
            config.ssl_mode(postgres::config::SslMode::Require);
            let tls = crate::db::rustls_config(ca_file.as_deref()).map_err(unavailable)?;
            config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        }
    };
    client.map_err(|e| unavailable(crate::db::pg::error_text(&e, target)))
}

#[cfg(test)]
mod tests;
