//! Validation of the policy sections and the journal: `[activation]`, `[termination]`,
//! `[safety]` and `[journal]`, with DESIGN.md's defaults.
//!
//! Reads `$STATE_DIRECTORY` (through the load context) and nothing else.

use super::raw::*;
use super::sections::Checker;
use super::types::*;
use chrono::NaiveTime;
use std::path::PathBuf;

/// The journal's path when neither the key nor `$STATE_DIRECTORY` is set.
pub const DEFAULT_JOURNAL: &str = "/var/lib/hrsync/journal.db";

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

    /// `[journal]`: the key, else `$STATE_DIRECTORY/journal.db`, else the default path.
    pub fn journal(&mut self, raw: Option<&RawJournal>) -> Option<JournalConfig> {
        let path = match raw.and_then(|r| r.path.as_ref()) {
            Some(p) => self.path(p),
            None => match (self.ctx.env)("STATE_DIRECTORY")
                .and_then(|d| d.split(':').next().map(str::to_owned))
                .filter(|d| !d.is_empty())
            {
                Some(dir) => PathBuf::from(dir).join("journal.db"),
                None => PathBuf::from(DEFAULT_JOURNAL),
            },
        };
        Some(JournalConfig { path })
    }
}
