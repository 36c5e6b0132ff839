//! Validation of the policy and runtime sections: `[activation]`, `[termination]`, `[safety]`,
//! `[schedule]`, `[journal]` and `[server]`, with DESIGN.md's defaults.
//!
//! Reads `$STATE_DIRECTORY` (through the load context) and nothing else.

use super::raw::*;
use super::sections::{Checker, secs};
use super::types::*;
use chrono::NaiveTime;
use std::net::SocketAddr;
use std::str::FromStr;

/// The default cron expression: every 15 minutes, at second 0.
pub const DEFAULT_CRON: &str = "0 */15 * * * *";

/// The server's default address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9184";

/// Default `[server] max_connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;

/// Default `[server] header_timeout_seconds`.
pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;

/// Default `[server] idle_timeout_seconds`.
pub const DEFAULT_IDLE_TIMEOUT_SECONDS: u64 = 60;

impl Checker<'_> {
    /// `[activation]`.
    pub fn activation(&mut self, raw: Option<&RawActivation>) -> Option<ActivationConfig> {
        let mode = match raw.and_then(|r| r.mode.as_ref()).map(|m| *m.get_ref()) {
            None | Some(RawActivationMode::StartDate) => ActivationMode::StartDate,
            Some(RawActivationMode::Always) => ActivationMode::Always,
            Some(RawActivationMode::Never) => ActivationMode::Never,
            Some(RawActivationMode::EmployeeStatus) => ActivationMode::EmployeeStatus,
        };
        let create = match raw.and_then(|r| r.create.as_ref()) {
            None => CreateTiming::OnRecord,
            Some(c) => match *c.get_ref() {
                RawCreate::OnRecord => CreateTiming::OnRecord,
                RawCreate::DaysBeforeStart(n) => match u32::try_from(n) {
                    Ok(n) if n <= 365 => CreateTiming::DaysBeforeStart(n),
                    _ => {
                        let msg =
                            format!("days_before_start = {n} is out of range; expected 0 to 365");
                        self.err(Some(c.span()), "activation.create", msg);
                        CreateTiming::OnRecord
                    }
                },
            },
        };
        let activate_at = match raw.and_then(|r| r.activate_at.as_ref()) {
            None => NaiveTime::from_hms_opt(9, 0, 0),
            Some(t) => {
                let text = t.get_ref().0.trim();
                let parsed = NaiveTime::parse_from_str(text, "%H:%M")
                    .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"));
                match parsed {
                    Ok(time) => Some(time),
                    Err(_) => {
                        let msg = format!(
                            "{text:?} is not a time of day; expected \"HH:MM\" (24-hour), e.g. \"09:00\""
                        );
                        self.err(Some(t.span()), "activation.activate_at", msg);
                        None
                    }
                }
            }
        };
        let on_leave = match raw.and_then(|r| r.on_leave) {
            None | Some(RawOnLeave::Keep) => OnLeave::Keep,
            Some(RawOnLeave::Suspend) => OnLeave::Suspend,
        };
        Some(ActivationConfig {
            mode,
            create,
            activate_at: activate_at?,
            on_leave,
        })
    }

    /// `[termination]`.
    pub fn termination(&mut self, raw: Option<&RawTermination>) -> Option<TerminationConfig> {
        let action = match raw.and_then(|r| r.action) {
            None | Some(RawTerminationAction::Deactivate) => TerminationAction::Deactivate,
            Some(RawTerminationAction::Suspend) => TerminationAction::Suspend,
            Some(RawTerminationAction::None) => TerminationAction::None,
        };
        let at = match raw.and_then(|r| r.at) {
            None | Some(RawTerminationAt::TerminationDate) => TerminationAt::TerminationDate,
            Some(RawTerminationAt::Immediately) => TerminationAt::Immediately,
        };
        let orphans = match raw.and_then(|r| r.orphans) {
            None | Some(RawOrphans::Report) => OrphanPolicy::Report,
            Some(RawOrphans::Deactivate) => OrphanPolicy::Deactivate,
        };
        Some(TerminationConfig {
            action,
            at,
            orphans,
        })
    }

    /// `[safety]`.
    pub fn safety(&mut self, raw: Option<&RawSafety>) -> Option<SafetyConfig> {
        let max_per_run = self.int(
            raw.and_then(|r| r.max_deactivations_per_run.as_ref()),
            "safety.max_deactivations_per_run",
            25,
            0..=1_000_000,
        );
        let max_percent = self.float(
            raw.and_then(|r| r.max_deactivation_percent.as_ref()),
            "safety.max_deactivation_percent",
            5.0,
            0.0,
            100.0,
            false,
        );
        let ratio = self.float(
            raw.and_then(|r| r.min_snapshot_ratio.as_ref()),
            "safety.min_snapshot_ratio",
            0.9,
            0.0,
            1.0,
            false,
        );
        let rejected = self.float(
            raw.and_then(|r| r.max_rejected_percent.as_ref()),
            "safety.max_rejected_percent",
            2.0,
            0.0,
            100.0,
            false,
        );
        let growth = self.float(
            raw.and_then(|r| r.max_snapshot_growth.as_ref()),
            "safety.max_snapshot_growth",
            2.0,
            1.0,
            1000.0,
            false,
        );
        let max_creates = self.int(
            raw.and_then(|r| r.max_creates_per_run.as_ref()),
            "safety.max_creates_per_run",
            50,
            0..=1_000_000,
        );
        let create_percent = self.float(
            raw.and_then(|r| r.max_create_percent.as_ref()),
            "safety.max_create_percent",
            25.0,
            0.0,
            1000.0,
            false,
        );
        let max_relinks = self.int(
            raw.and_then(|r| r.max_relinks_per_run.as_ref()),
            "safety.max_relinks_per_run",
            5,
            0..=1_000_000,
        );
        let max_logins = self.int(
            raw.and_then(|r| r.max_login_changes_per_run.as_ref()),
            "safety.max_login_changes_per_run",
            25,
            0..=1_000_000,
        );
        let login_percent = self.float(
            raw.and_then(|r| r.max_login_change_percent.as_ref()),
            "safety.max_login_change_percent",
            10.0,
            0.0,
            100.0,
            false,
        );
        let max_employees = self.int(
            raw.and_then(|r| r.max_employees.as_ref()),
            "safety.max_employees",
            1_000_000,
            1..=100_000_000,
        );
        Some(SafetyConfig {
            max_deactivations_per_run: u32::try_from(max_per_run).unwrap_or(25),
            max_deactivation_percent: max_percent,
            min_snapshot_ratio: ratio,
            max_rejected_percent: rejected,
            max_snapshot_growth: growth,
            max_creates_per_run: u32::try_from(max_creates).unwrap_or(50),
            max_create_percent: create_percent,
            max_relinks_per_run: u32::try_from(max_relinks).unwrap_or(5),
            max_login_changes_per_run: u32::try_from(max_logins).unwrap_or(25),
            max_login_change_percent: login_percent,
            max_employees: usize::try_from(max_employees).unwrap_or(1_000_000),
        })
    }

    /// `[schedule]`.
    pub fn schedule(&mut self, raw: Option<&RawSchedule>) -> Option<ScheduleConfig> {
        let cron_expr = raw.and_then(|r| r.cron.as_ref()).map_or_else(
            || DEFAULT_CRON.to_owned(),
            |c| c.get_ref().trim().to_owned(),
        );
        let cron = match cron::Schedule::from_str(&cron_expr) {
            Ok(s) => Some(s),
            Err(e) => {
                let fields = cron_expr.split_whitespace().count();
                let hint = if fields == 5 {
                    "it has 5 fields, but hrsync's cron needs 6 or 7 with seconds first (sec min hour day month weekday [year]): put \"0 \" in front".to_owned()
                } else {
                    format!(
                        "{e}; expected 6 or 7 fields with seconds first (sec min hour day month weekday [year]), e.g. \"{DEFAULT_CRON}\""
                    )
                };
                let span = raw.and_then(|r| r.cron.as_ref()).map(|c| c.span());
                self.err(
                    span,
                    "schedule.cron",
                    format!("{cron_expr:?} is not a valid cron expression: {hint}"),
                );
                None
            }
        };
        let timezone = self.zone(raw.and_then(|r| r.timezone.as_ref()), "schedule.timezone");
        let backoff = self.int(
            raw.and_then(|r| r.max_backoff_seconds.as_ref()),
            "schedule.max_backoff_seconds",
            3600,
            1..=86_400,
        );
        let shutdown = self.int(
            raw.and_then(|r| r.shutdown_timeout_seconds.as_ref()),
            "schedule.shutdown_timeout_seconds",
            30,
            1..=3600,
        );
        Some(ScheduleConfig {
            cron_expr,
            cron: cron?,
            timezone: timezone?,
            max_backoff: secs(backoff),
            shutdown_timeout: secs(shutdown),
        })
    }

    /// `[server]`: an address (or `"off"`) and the connection limits.
    pub fn server(&mut self, raw: Option<&RawServer>) -> Option<ServerConfig> {
        let max_connections = self.int(
            raw.and_then(|r| r.max_connections.as_ref()),
            "server.max_connections",
            i64::try_from(DEFAULT_MAX_CONNECTIONS).unwrap_or(64),
            1..=65_536,
        );
        let header = self.int(
            raw.and_then(|r| r.header_timeout_seconds.as_ref()),
            "server.header_timeout_seconds",
            i64::try_from(DEFAULT_HEADER_TIMEOUT_SECONDS).unwrap_or(10),
            1..=600,
        );
        let idle = self.int(
            raw.and_then(|r| r.idle_timeout_seconds.as_ref()),
            "server.idle_timeout_seconds",
            i64::try_from(DEFAULT_IDLE_TIMEOUT_SECONDS).unwrap_or(60),
            1..=3600,
        );
        let listen = match raw.and_then(|r| r.listen.as_ref()) {
            None => DEFAULT_LISTEN.parse().ok(),
            Some(listen) => {
                let text = listen.get_ref().trim();
                if text == "off" {
                    None
                } else if let Ok(addr) = text.parse::<SocketAddr>() {
                    Some(addr)
                } else {
                    let msg = format!(
                        "{text:?} is not an address; expected ip:port such as \"127.0.0.1:9184\" or \"[::1]:9184\", or \"off\""
                    );
                    self.err(Some(listen.span()), "server.listen", msg);
                    return None;
                }
            }
        };
        Some(ServerConfig {
            listen,
            max_connections: usize::try_from(max_connections).unwrap_or(DEFAULT_MAX_CONNECTIONS),
            header_timeout: secs(header),
            idle_timeout: secs(idle),
        })
    }
}
