//! Connecting to MySQL or MariaDB with mysql_async: the URL from a [`DbTarget`], TLS
//! through rustls when the URL asks for it (chain and host name verified; Mozilla's roots or
//! only the `ssl-ca` file), exactly the host and port the URL names (never a switch to a
//! local socket), the whole connect bounded by a timeout. Also the text of a driver error,
//! scrubbed of the password.
//!
//! It must not: wait without a bound, or put a password in an error.

use super::{DbTarget, Engine, Tls};
use mysql_async::{Conn, Opts, OptsBuilder, SslOpts};
use std::time::Duration;

pub use super::pg::ConnectError;

/// MySQL's and MariaDB's "access denied" errors: wrong password or unknown user (1045),
/// no access to the database (1044), account locked (3118), password expired (1820, 1862).
const AUTH_CODES: &[u16] = &[1044, 1045, 1820, 1862, 3118];

/// MariaDB's `max_statement_time` (1969) and MySQL's `max_execution_time` (3024) stops.
const TIMEOUT_CODES: &[u16] = &[1969, 3024];

/// Connects to the server `target` names within `timeout`.
pub async fn connect(target: &DbTarget, timeout: Duration) -> Result<Conn, ConnectError> {
    let shown = target.shown().to_owned();
    let setup = |message: String| ConnectError::Setup {
        shown: shown.clone(),
        message,
    };
    if target.engine != Engine::MySql {
        return Err(setup("is not a mysql:// URL".to_owned()));
    }
    let opts = Opts::from_url(target.driver_url())
        .map_err(|e| setup(target.scrub(&format!("the URL is not usable: {e}"))))?;
    let mut builder = OptsBuilder::from_opts(opts).prefer_socket(false);
    if let Tls::Verify { ca_file } = &target.tls {
        let mut ssl = SslOpts::default();
        if let Some(path) = ca_file {
            ssl = ssl
                .with_root_certs(vec![path.clone().into()])
                .with_disable_built_in_roots(true);
        }
        builder = builder.ssl_opts(ssl);
    }
    match tokio::time::timeout(timeout, Conn::new(builder)).await {
        Err(_) => Err(ConnectError::Timeout {
            shown,
            seconds: timeout.as_secs(),
        }),
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) if is_auth_error(&e) => Err(ConnectError::Auth {
            shown,
            message: error_text(&e, target),
        }),
        Ok(Err(e)) => Err(ConnectError::Unreachable {
            shown,
            message: error_text(&e, target),
        }),
    }
}

/// True when the server refused the account.
pub fn is_auth_error(e: &mysql_async::Error) -> bool {
    matches!(e, mysql_async::Error::Server(s) if AUTH_CODES.contains(&s.code))
}

/// True when the server stopped a statement that ran past its time limit.
pub fn is_timeout(e: &mysql_async::Error) -> bool {
    matches!(e, mysql_async::Error::Server(s) if TIMEOUT_CODES.contains(&s.code))
}

/// The error with its causes, scrubbed of the password.
pub fn error_text(e: &mysql_async::Error, target: &DbTarget) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(&format!(": {more}"));
        }
        cause = c.source();
    }
    target.scrub(&text)
}
