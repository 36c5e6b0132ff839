//! The words and figures both progress renderers show, so a terminal and a log say the same
//! thing: what a phase is doing, how far it got, the apply's counts by outcome, its rate
//! (actions per second) and its ETA. Pure functions of a [`Snapshot`] and the phase's elapsed
//! time ([`Snapshot::elapsed`]); must not read the clock, print or know about terminals.

use crate::progress::{Phase, Snapshot, Stage};
use std::time::Duration;

/// What a phase says when it begins: `reading HR`, `listing Okta`, `planning`,
/// `applying 1900 actions`.
pub fn began(phase: Phase, snap: &Snapshot) -> String {
    match phase {
        Phase::Hr => "reading HR".to_owned(),
        Phase::Okta => "listing Okta".to_owned(),
        Phase::Planning => "planning".to_owned(),
        Phase::Applying => format!("applying {}", count(snap.total, "action")),
    }
}

/// What a phase under way says, `elapsed` into it: `listing Okta: 3 pages, 600 users so far
/// (4.2s)`, `applying 883/1900 (46%) created 850 updated 30 failed 3, 41.2/s, ETA 25s`.
pub fn running(phase: Phase, snap: &Snapshot, elapsed: Duration) -> String {
    match phase {
        Phase::Hr => format!("reading HR ({})", duration(elapsed)),
        Phase::Okta => format!(
            "listing Okta: {}, {} so far ({})",
            count(snap.pages, "page"),
            count(snap.users, "user"),
            duration(elapsed)
        ),
        Phase::Planning => format!("planning ({})", duration(elapsed)),
        Phase::Applying => format!("applying {}", apply_figures(snap, elapsed)),
    }
}

/// What a phase says when it is over, after `elapsed`: `read HR: 400 records (2 rejected) in
/// 0.3s`, `listed Okta: 3 pages, 412 users in 1.2s`, `planned 400 actions in 0.1s`,
/// `applied 400/400 (100%) created 398 failed 2, 80.0/s, in 5.0s`; or that it failed.
pub fn ended(phase: Phase, snap: &Snapshot, elapsed: Duration) -> String {
    let took = duration(elapsed);
    let failed = snap.stage(phase) == Stage::Failed;
    match (phase, failed) {
        (Phase::Hr, false) => {
            let rejected = match snap.rejected {
                0 => String::new(),
                n => format!(" ({n} rejected)"),
            };
            format!(
                "read HR: {}{rejected} in {took}",
                count(snap.records, "record")
            )
        }
        (Phase::Hr, true) => format!("reading HR failed after {took}"),
        (Phase::Okta, false) => format!(
            "listed Okta: {}, {} in {took}",
            count(snap.pages, "page"),
            count(snap.users, "user")
        ),
        (Phase::Okta, true) => format!(
            "listing Okta failed after {took} ({}, {} read)",
            count(snap.pages, "page"),
            count(snap.users, "user")
        ),
        (Phase::Planning, false) => {
            format!("planned {} in {took}", count(snap.planned, "action"))
        }
        (Phase::Planning, true) => format!("planning failed after {took}"),
        (Phase::Applying, false) => format!("applied {}, in {took}", done_figures(snap, elapsed)),
        (Phase::Applying, true) => {
            format!(
                "applying stopped after {took} at {}",
                done_figures(snap, elapsed)
            )
        }
    }
}

/// `883/1900 (46%) created 850 updated 30 failed 3, 41.2/s, ETA 25s`: done out of the total,
/// the non-zero counts, the rate so far and the time left at that rate (both left out until
/// an action has finished).
pub fn apply_figures(snap: &Snapshot, elapsed: Duration) -> String {
    let mut text = done_figures(snap, elapsed);
    let done = snap.tally.done();
    if let Some(rate) = rate(done, elapsed) {
        let left = snap.total.saturating_sub(done) as f64 / rate;
        if let Ok(left) = Duration::try_from_secs_f64(left) {
            text.push_str(&format!(", ETA {}", duration(left)));
        }
    }
    text
}

/// `883/1900 (46%) created 850 updated 30 failed 3, 41.2/s` (no rate before the first action).
fn done_figures(snap: &Snapshot, elapsed: Duration) -> String {
    let done = snap.tally.done();
    let mut text = format!("{done}/{} ({}%)", snap.total, percent(done, snap.total));
    for (label, n) in snap.tally.labelled() {
        if n > 0 {
            text.push_str(&format!(" {label} {n}"));
        }
    }
    if let Some(rate) = rate(done, elapsed) {
        text.push_str(&format!(", {rate:.1}/s"));
    }
    text
}

/// Whole percent of `total` done (rounded down, so 100 % means all of it); 100 for nothing to do.
pub fn percent(done: u64, total: u64) -> u64 {
    if total == 0 {
        return 100;
    }
    u64::try_from(u128::from(done.min(total)) * 100 / u128::from(total)).unwrap_or(100)
}

/// Actions per second so far; `None` before the first one or before any time has passed.
pub fn rate(done: u64, elapsed: Duration) -> Option<f64> {
    let secs = elapsed.as_secs_f64();
    (done > 0 && secs >= 0.001).then(|| done as f64 / secs)
}

/// A duration as people read it: `0.4s` under ten seconds, then `25s`, `3m 05s`, `2h 07m`.
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        return format!("{:.1}s", d.as_secs_f64());
    }
    let secs = d
        .as_secs()
        .saturating_add(u64::from(d.subsec_millis() >= 500));
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

/// `1 page`, `3 pages`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests;
