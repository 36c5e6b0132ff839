//! `GET /console`: the last runs (status, counts, trigger, duration), the next run and the
//! next wake-up, what is held and why (with the approval form), quarantined actions, and how
//! the last HR and Okta reads went.

use super::{no_digest, signed_page};
use crate::console::layout::{self, Nav, badge, duration, utc, utc_seconds};
use crate::console::{Console, SignedIn, data};
use crate::journal::RunRecord;
use crate::plan::{FindingKind, Reason};
use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

/// Findings of one kind shown on the overview (the rest are counted).
const FINDINGS_SHOWN: usize = 20;

/// `GET /console`.
pub async fn page(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
) -> Result<Response, data::PageError> {
    let overview = data::overview(console.journal()).await?;
    let health = console.health().snapshot();
    let latest = console.latest();
    let csrf = console.access().csrf_token(&reader);
    let current_held = latest
        .as_ref()
        .and_then(|l| crate::plan::approval::held_plan_id(&l.plan));
    let body = html! {
        section.cards {
            div.card {
                h2 { "Schedule" }
                dl {
                    dt { "Last run" }
                    dd { @match &health.last_outcome { Some(o) => (badge(o)), None => "none yet" } }
                    dt { "Running now" } dd { (if health.running { "yes" } else { "no" }) }
                    dt { "Next run" }
                    dd { (health.next_run.map(utc).unwrap_or_else(|| "not scheduled".into())) }
                    dt { "Next wake-up" }
                    dd { (latest.as_ref().and_then(|l| l.plan.next_wakeup).map(utc).unwrap_or_else(|| "none".into())) }
                    @if health.consecutive_failures > 0 {
                        dt { "Failed runs in a row" } dd { (health.consecutive_failures) }
                    }
                    @if health.quarantined { dt { "Quarantined" } dd { (badge("fatal")) } }
                    @if let Some(why) = &health.waiting_for { dt { "Waiting for" } dd { (why) } }
                }
            }
            div.card { h2 { "HR and Okta reads" } (reads(overview.runs.first(), &health)) }
        }
        section {
            h2 { "Held" }
            (held(&console, &overview.held, current_held.as_deref(), &csrf))
            @if let Some(latest) = &latest {
                (findings(latest, |f| f.kind == FindingKind::HeldBack, "Nothing is held back by the last run."))
            }
        }
        section {
            h2 { "Quarantined actions" }
            @match &latest {
                Some(latest) => (findings(latest, |f| f.reason == Reason::Quarantined, "No action is quarantined.")),
                None => (no_digest()),
            }
        }
        section {
            h2 { "Last runs" }
            (runs_table(&overview.runs))
        }
    };
    Ok(signed_page(
        &console,
        &reader,
        "Overview",
        Nav::Overview,
        body,
    ))
}

/// How the latest run's HR and Okta reads went.
fn reads(run: Option<&RunRecord>, health: &crate::daemon::health::HealthState) -> Markup {
    let Some(run) = run else {
        return layout::notice("plain", "No run recorded yet.");
    };
    let okta = match (run.pass, run.users_read) {
        (Some(pass), Some(n)) => format!("{pass} read of {n} users"),
        (Some(pass), None) => format!("{pass} read"),
        _ => "not read".to_owned(),
    };
    html! {
        dl {
            dt { "Run" } dd { a href={ "/console/runs?run=" (run.id) } { "#" (run.id) } " " (utc_seconds(run.started_at)) }
            dt { "HR" }
            dd {
                (run.snapshot_employees) " employees"
                @if run.snapshot_rejected > 0 { ", " span.warn { (run.snapshot_rejected) " records refused" } }
            }
            dt { "Okta" } dd { (okta) }
            @match (&run.error, run.status.as_str()) {
                (Some(why), "blocked") => { dt { "Blocked" } dd.warn { (why) } },
                (Some(error), _) => { dt { "Error" } dd.bad { (error) } },
                (None, _) => {
                    @if let Some(line) = &health.last_line { dt { "Summary" } dd.small { (line) } }
                },
            }
        }
    }
}

/// The held plans and, for the one the last run holds, the approval form.
fn held(
    console: &Console,
    held: &[crate::journal::HeldPlan],
    current: Option<&str>,
    csrf: &str,
) -> Markup {
    if held.is_empty() {
        return layout::notice("plain", "No run has held a plan back.");
    }
    html! {
        div.scroll { table {
            thead { tr { th { "Plan" } th { "Holds" } th { "First held" } th { "Approval" } } }
            tbody {
                @for plan in held {
                    tr {
                        td { code { (plan.plan_id) } @if current == Some(plan.plan_id.as_str()) { " " span.badge.warn { "current" } } }
                        td { (plan.summary) }
                        td { a href={ "/console/runs?run=" (plan.first_run) } { "run " (plan.first_run) } " " (utc(plan.recorded_at)) }
                        td {
                            @match plan.approval.as_deref() {
                                Some("open") => "approved: the next run applies it",
                                Some(state) => (state),
                                None if current == Some(plan.plan_id.as_str()) && console.access().can_approve() => {
                                    form.approve method="post" action="/console/approve" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="plan_id" value=(plan.plan_id);
                                        label { "Admin token " input type="password" name="admin_token" autocomplete="off" required; }
                                        button type="submit" { "Approve" }
                                    }
                                },
                                None => "not approved",
                            }
                        }
                    }
                }
            }
        } }
    }
}

/// The last plan's findings that `wanted` picks, the first few listed.
fn findings(
    latest: &crate::console::Latest,
    wanted: impl Fn(&crate::plan::Finding) -> bool,
    none: &str,
) -> Markup {
    let all: Vec<_> = latest.plan.findings.iter().filter(|f| wanted(f)).collect();
    if all.is_empty() {
        return layout::notice("plain", none);
    }
    html! {
        ul.findings {
            @for f in all.iter().take(FINDINGS_SHOWN) {
                li {
                    @if let Some(id) = &f.employee_id { a href={ "/console/people/" (id.as_str()) } { (id.as_str()) } ": " }
                    (f.detail)
                }
            }
        }
        @if all.len() > FINDINGS_SHOWN { p.small { "and " (all.len() - FINDINGS_SHOWN) " more (see the run's findings with hrsync history)" } }
    }
}

/// The latest runs.
pub fn runs_table(runs: &[RunRecord]) -> Markup {
    if runs.is_empty() {
        return layout::notice("plain", "No run recorded yet.");
    }
    html! {
        div.scroll { table {
            thead { tr { th { "Run" } th { "Started" } th { "Trigger" } th { "Status" } th { "Duration" } th { "What it did" } } }
            tbody {
                @for run in runs {
                    tr {
                        td { a href={ "/console/runs?run=" (run.id) } { "#" (run.id) } }
                        td { (utc_seconds(run.started_at)) }
                        td { (run.trigger) }
                        td { (badge(run.status.as_str())) }
                        td { (duration(run.started_at, run.ended_at)) }
                        td.small { (crate::sync::summary::summary_line(&run.counts, run.okta_requests)) }
                    }
                }
            }
        } }
    }
}
