//! Connecting to PostgreSQL with tokio-postgres: the URL from a [`DbTarget`], TLS through
//! rustls when the URL asks for it, the whole connect (TCP, TLS, authentication) bounded by a
//! timeout, the connection driven by a task that ends with the client. Also the text of a
//! driver error, with the server's message, code and detail, scrubbed of the password.
//!
//! It must not: wait without a bound, or put a password in an error.

use super::{DbTarget, Engine, Tls};
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// Why a connection could not be made; messages carry the masked URL, never the password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL or its TLS settings are unusable.
    #[error("{shown}: {message}")]
    Setup {
        /// The masked URL.
        shown: String,
        /// What is wrong.
        message: String,
    },
    /// The server refused the user name or password (SQLSTATE class 28).
    #[error("{shown}: authentication failed: {message}")]
    Auth {
        /// The masked URL.
        shown: String,
        /// The server's message.
        message: String,
    },
    /// The server could not be reached or the connection failed.
    #[error("{shown}: cannot connect: {message}")]
    Unreachable {
        /// The masked URL.
        shown: String,
        /// The underlying error.
        message: String,
    },
    /// The connect took longer than allowed.
    #[error("{shown}: cannot connect: no answer within {seconds} s")]
    Timeout {
        /// The masked URL.
        shown: String,
        /// The bound.
        seconds: u64,
    },
}

/// Connects to the PostgreSQL server `target` names within `timeout`, as application
/// `hrsync`. The connection's I/O runs on a spawned task that ends when the client is dropped.
pub async fn connect(target: &DbTarget, timeout: Duration) -> Result<Client, ConnectError> {
    let shown = target.shown().to_owned();
    let setup = |message: String| ConnectError::Setup {
        shown: shown.clone(),
        message,
    };
    if target.engine != Engine::Postgres {
        return Err(setup("is not a postgres:// URL".to_owned()));
    }
    let mut config = tokio_postgres::Config::from_str(target.driver_url())
        .map_err(|e| setup(target.scrub(&format!("the URL is not usable: {e}"))))?;
    config.connect_timeout(timeout);
    config.application_name("hrsync");
    let work = async {
        match &target.tls {
            Tls::Disable => {
                config.ssl_mode(tokio_postgres::config::SslMode::Disable);
                let (client, connection) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(Fail::Driver)?;
                tokio::spawn(drive(connection));
                Ok(client)
            }
            Tls::Verify { ca_file } => {
                config.ssl_mode(tokio_postgres::config::SslMode::Require);
                let tls = super::rustls_config(ca_file.as_deref()).map_err(Fail::Tls)?;
                let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
                let (client, connection) = config.connect(tls).await.map_err(Fail::Driver)?;
                tokio::spawn(drive(connection));
                Ok(client)
            }
        }
    };
    let Ok(result) = tokio::time::timeout(timeout, work).await else {
        return Err(ConnectError::Timeout {
            shown,
            seconds: timeout.as_secs(),
        });
    };
    match result {
        Ok(client) => Ok(client),
        Err(Fail::Tls(message)) => Err(setup(message)),
        Err(Fail::Driver(e)) if is_auth_error(&e) => Err(ConnectError::Auth {
            shown,
            message: error_text(&e, target),
        }),
        Err(Fail::Driver(e)) => Err(ConnectError::Unreachable {
            shown,
            message: error_text(&e, target),
        }),
    }
}

/// A connect failure: the driver's error, or a TLS setup problem in words.
enum Fail {
    Driver(tokio_postgres::Error),
    Tls(String),
}

/// Runs a connection's I/O until it closes; an error there reaches the client's next call.
async fn drive<S, T>(connection: tokio_postgres::Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(e) = connection.await {
        tracing::debug!(error = %e, "PostgreSQL connection closed");
    }
}

/// True for SQLSTATE class 28 (invalid authorization: wrong password, unknown role, no
/// `pg_hba.conf` entry).
pub fn is_auth_error(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == SqlState::INVALID_PASSWORD
            || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            || c.code().starts_with("28")
    })
}

/// True when the server cancelled the statement (`statement_timeout`, SQLSTATE 57014).
pub fn is_timeout(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::QUERY_CANCELED)
}

/// The error as people should read it: the server's message with its SQLSTATE, detail, hint
/// and position when the server sent one, else the driver's error and its causes; scrubbed
/// of the password.
pub fn error_text(e: &tokio_postgres::Error, target: &DbTarget) -> String {
    let text = match e.as_db_error() {
        Some(db) => {
            let mut text = format!("{} (SQLSTATE {})", db.message(), db.code().code());
            if let Some(detail) = db.detail() {
                text.push_str(&format!("; detail: {detail}"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; hint: {hint}"));
            }
            if let Some(tokio_postgres::error::ErrorPosition::Original(at)) = db.position() {
                text.push_str(&format!("; at character {at} of the query"));
            }
            text
        }
        None => {
            let mut text = e.to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                text.push_str(&format!(": {c}"));
                cause = c.source();
            }
            text
        }
    };
    target.scrub(&text)
}

#[cfg(test)]
mod tests;
