//! `[schedule]`, `[server]` and `[ha]`: the daemon's timing, HTTP endpoint and leader lease,
//! deserialized directly
//! into their typed form with a `Default` each (every key is optional): the cron expression
//! parsed, the zone an IANA zone, durations within their ranges, the listen address an
//! `ip:port` or `"off"`.
//!
//! Pure parsing; nothing here starts a timer or binds a socket.

use super::value;
use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

/// Default `[schedule] cron`: every 15 minutes, on the quarter hour.
pub const DEFAULT_CRON: &str = "0 */15 * * * *";

/// Default `[server] listen`: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9184";

/// Default `[server] max_connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;

/// Default `[server] header_timeout_seconds`.
pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;

/// Default `[server] idle_timeout_seconds`.
pub const DEFAULT_IDLE_TIMEOUT_SECONDS: u64 = 60;

/// A cron expression (6 or 7 fields, seconds first) and its parsed schedule.
#[derive(Debug, Clone)]
pub struct Cron {
    expr: String,
    schedule: cron::Schedule,
}

impl Cron {
    /// The expression as written (trimmed).
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The parsed schedule.
    pub fn schedule(&self) -> &cron::Schedule {
        &self.schedule
    }
}

/// A `Cron` is used as its schedule (`upcoming`, `after`).
impl std::ops::Deref for Cron {
    type Target = cron::Schedule;

    fn deref(&self) -> &cron::Schedule {
        &self.schedule
    }
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expr)
    }
}

impl FromStr for Cron {
    type Err = String;

    /// Parses an expression; the error says what is wrong and how to write it (a 5-field
    /// crontab line is the usual mistake).
    fn from_str(text: &str) -> Result<Self, String> {
        let expr = text.trim().to_owned();
        match cron::Schedule::from_str(&expr) {
            Ok(schedule) => Ok(Self { expr, schedule }),
            Err(e) => {
                let hint = if expr.split_whitespace().count() == 5 {
                    "it has 5 fields, but hrsync's cron needs 6 or 7 with seconds first (sec min hour day month weekday [year]): put \"0 \" in front".to_owned()
                } else {
                    format!(
                        "{e}; expected 6 or 7 fields with seconds first (sec min hour day month weekday [year]), e.g. \"{DEFAULT_CRON}\""
                    )
                };
                Err(format!("{expr:?} is not a valid cron expression: {hint}"))
            }
        }
    }
}

impl Default for Cron {
    fn default() -> Self {
        Self {
            expr: DEFAULT_CRON.to_owned(),
            schedule: default_schedule(),
        }
    }
}

/// The default schedule; a constant a unit test proves parses.
#[allow(clippy::expect_used)]
fn default_schedule() -> cron::Schedule {
    cron::Schedule::from_str(DEFAULT_CRON).expect("the default cron expression parses")
}

impl<'de> Deserialize<'de> for Cron {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(de::Error::custom)
    }
}

/// `[schedule]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleConfig {
    /// When runs start: a cron expression, 6 or 7 fields, seconds first; default
    /// `0 */15 * * * *`.
    pub cron: Cron,
    /// Zone the cron expression is evaluated in (an IANA name); default UTC.
    #[serde(deserialize_with = "value::zone")]
    pub timezone: Tz,
    /// Ceiling of the back-off after failed runs; `max_backoff_seconds`, 1..=86400, default
    /// 3600.
    #[serde(
        rename = "max_backoff_seconds",
        deserialize_with = "value::seconds::<1, 86_400, _>"
    )]
    pub max_backoff: Duration,
    /// How long a graceful shutdown may take; `shutdown_timeout_seconds`, 1..=3600, default
    /// 30.
    #[serde(
        rename = "shutdown_timeout_seconds",
        deserialize_with = "value::seconds::<1, 3600, _>"
    )]
    pub shutdown_timeout: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            cron: Cron::default(),
            timezone: chrono_tz::UTC,
            max_backoff: Duration::from_secs(3600),
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address of `/healthz`, `/readyz`, `/metrics` and webhooks (`ip:port`), or `"off"`
    /// (none: no server); default `127.0.0.1:9184`.
    #[serde(deserialize_with = "listen")]
    pub listen: Option<SocketAddr>,
    /// Most connections open at once (1..=65536, default 64); one more is closed at once
    /// (the daemon lowers this when the open-files limit leaves too little for runs).
    #[serde(deserialize_with = "value::int::<1, 65_536, usize, _>")]
    pub max_connections: usize,
    /// How long a request's head may take to arrive (from its first byte, or from the accept
    /// for a connection's first request), and then its body; `header_timeout_seconds`,
    /// 1..=600, default 10.
    #[serde(
        rename = "header_timeout_seconds",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub header_timeout: Duration,
    /// How long a connection may stay open without a byte read or written;
    /// `idle_timeout_seconds`, 1..=3600, default 60.
    #[serde(
        rename = "idle_timeout_seconds",
        deserialize_with = "value::seconds::<1, 3600, _>"
    )]
    pub idle_timeout: Duration,
    /// Whether the web console (`/console`) is served; default false. When true, readers
    /// need `console_token` or a reverse proxy's `console_user_header`.
    pub console: bool,
    /// The console's read token, as a secret reference: sent as `Authorization: Bearer`, or
    /// typed into the console's sign-in form.
    pub console_token: Option<crate::config::Secret>,
    /// The token that approves held plans from the console (a secret reference); without it
    /// the console approves nothing. Never the same as `console_token`.
    pub console_admin_token: Option<crate::config::Secret>,
    /// A request header a reverse proxy sets to the signed-in user's name
    /// (`X-Forwarded-User`): a request carrying it may read. Safe only when the daemon
    /// listens where only that proxy reaches it, and the proxy strips the header from what
    /// clients send.
    #[serde(deserialize_with = "header_name")]
    pub console_user_header: Option<String>,
}

impl Default for ServerConfig {
    /// The documented defaults: `127.0.0.1:9184`, 64 connections, 10 s, 60 s, no console.
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN.parse().ok(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECONDS),
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_TIMEOUT_SECONDS),
            console: false,
            console_token: None,
            console_admin_token: None,
            console_user_header: None,
        }
    }
}

impl ServerConfig {
    /// What is wrong with the console keys taken together (`None`: nothing): a console
    /// nobody may read, or one admin token that is also the read token.
    pub fn console_mistake(&self) -> Option<&'static str> {
        if self.console && self.console_token.is_none() && self.console_user_header.is_none() {
            return Some(
                "console = true needs a way to sign readers in: set console_token = { credential = \"console-token\" } (or env/file), or console_user_header = \"X-Forwarded-User\" behind a reverse proxy that signs users in",
            );
        }
        if let (Some(read), Some(admin)) = (&self.console_token, &self.console_admin_token)
            && read.expose() == admin.expose()
        {
            return Some(
                "console_admin_token must differ from console_token: a reader could otherwise approve held plans",
            );
        }
        None
    }

    /// A warning when the console trusts a reverse proxy's `console_user_header` while
    /// listening beyond loopback: anyone who reaches the port without the proxy could send
    /// the header and read names and emails. `None` when the console is off, trusts no
    /// header, or listens on loopback only.
    pub fn console_exposure(&self) -> Option<String> {
        let header = self
            .console_user_header
            .as_deref()
            .filter(|_| self.console)?;
        let addr = self.listen.filter(|a| !a.ip().is_loopback())?;
        Some(format!(
            "[server] console_user_header = \"{header}\" lets any request carrying that header read the console, and listen = \"{addr}\" is reachable beyond this host: make sure only the reverse proxy reaches {addr} (firewall) and that it strips {header} from what clients send, or listen on 127.0.0.1"
        ))
    }

    /// The console as `hrsync check` describes it: off, or how readers sign in and whether
    /// approvals are on (never a token's value).
    pub fn console_summary(&self) -> String {
        if !self.console {
            return "off".to_owned();
        }
        let mut readers = Vec::new();
        if self.console_token.is_some() {
            readers.push("read token (value hidden)".to_owned());
        }
        if let Some(header) = &self.console_user_header {
            readers.push(format!("proxy header {header}"));
        }
        let approvals = if self.console_admin_token.is_some() {
            "approvals with the admin token (value hidden)"
        } else {
            "no approvals (no console_admin_token)"
        };
        format!("on at /console: {}; {approvals}", readers.join(" or "))
    }
}

/// A header name (`X-Forwarded-User`): letters, digits and `-`, 1 to 64 characters.
fn header_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    let name = text.trim();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(de::Error::custom(format!(
            "{name:?} is not a header name; expected letters, digits and '-' (1 to 64), such as \"X-Forwarded-User\""
        )));
    }
    Ok(Some(name.to_ascii_lowercase()))
}

/// `ip:port`, or `"off"` for no server.
fn listen<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SocketAddr>, D::Error> {
    let text = String::deserialize(d)?;
    let text = text.trim();
    if text == "off" {
        return Ok(None);
    }
    text.parse::<SocketAddr>().map(Some).map_err(|_| {
        de::Error::custom(format!(
            "{text:?} is not an address; expected ip:port such as \"127.0.0.1:9184\" or \"[::1]:9184\", or \"off\""
        ))
    })
}

/// Default `[ha] lease_seconds`.
pub const DEFAULT_LEASE_SECONDS: u64 = 15;

/// `[ha]`: the leader lease of instances sharing a PostgreSQL journal (allowed only with
/// `[journal] url`; with one, leadership is always on, this section or not).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HaConfig {
    /// How long a lease lasts without renewal; `lease_seconds`, 2..=600, default 15. The
    /// leader renews every third of it and stops writing to Okta after three quarters of it
    /// without a renewal; a standby takes over once it has expired.
    #[serde(
        rename = "lease_seconds",
        deserialize_with = "value::seconds::<2, 600, _>"
    )]
    pub lease: Duration,
    /// Who holds the lease, as `history`, `/readyz` and the other instances show it; default
    /// `<hostname>/<pid>`.
    pub holder: Option<String>,
}

impl Default for HaConfig {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(DEFAULT_LEASE_SECONDS),
            holder: None,
        }
    }
}

#[cfg(test)]
mod tests;
