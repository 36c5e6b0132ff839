//! `GET /console/upcoming?days=N`: the time-driven actions of the next N days (activations at
//! start dates, leavers at their termination moments, creation windows), grouped by day in
//! the employees' default zone (`[employee] timezone`), each with its instant in UTC and in the
//! employee's own zone. The forecast `hrsync forecast` prints, made
//! once per run from the run's inputs ([`crate::console::Latest`]), never here.

use super::{no_digest, signed_page};
use crate::console::latest::FORECAST_DAYS;
use crate::console::layout::{self, Nav, utc};
use crate::console::{Console, SignedIn};
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Duration;
use maud::html;
use serde::Deserialize;

/// Rows per page.
pub const PER_PAGE: usize = 500;

/// The query string.
#[derive(Deserialize)]
pub struct Window {
    #[serde(default = "default_days")]
    days: u32,
    #[serde(default)]
    skip: usize,
}

fn default_days() -> u32 {
    14
}

/// `GET /console/upcoming`.
pub async fn page(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    Query(window): Query<Window>,
) -> Response {
    let days = window.days.clamp(1, FORECAST_DAYS);
    let body = html! {
        form.search method="get" action="/console/upcoming" {
            label for="days" { "Days ahead (1 to " (FORECAST_DAYS) ")" }
            input #days type="number" name="days" min="1" max=(FORECAST_DAYS) value=(days);
            button type="submit" { "Show" }
        }
        @match console.latest() {
            None => (no_digest()),
            Some(latest) => {
                @let until = latest.at + Duration::days(i64::from(days));
                @let due: Vec<_> = latest.forecast.iter().filter(|d| d.at <= until).collect();
                p.small { (due.len()) " time-driven actions from " (utc(latest.at)) " (run " (latest.run_id) ") to " (utc(until)) "." }
                @if due.is_empty() { (layout::notice("plain", "Nothing falls due.")) }
                @let shown: Vec<_> = due.iter().skip(window.skip).take(PER_PAGE).collect();
                @let zone = latest.policy.default_timezone;
                @let day = |at: &chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).date_naive();
                @for chunk in shown.chunk_by(|a, b| day(&a.at) == day(&b.at)) {
                    @if let Some(first) = chunk.first() {
                        h2.day { (day(&first.at).format("%A %Y-%m-%d")) " (" (zone.name()) ")" }
                        div.scroll { table {
                            thead { tr { th { "Due (UTC)" } th { "Local" } th { "Employee" } th { "Login" } th { "Action" } th { "Reason" } } }
                            tbody {
                                @for d in chunk {
                                    tr {
                                        td { (d.at.format("%H:%MZ")) }
                                        td { (d.local) }
                                        td { a href={ "/console/people/" (d.employee_id.as_str()) } { (d.employee_id.as_str()) } }
                                        td { (d.login.as_deref().unwrap_or("-")) }
                                        td { strong { (d.action) } }
                                        td { (d.reason.code()) }
                                    }
                                }
                            }
                        } }
                    }
                }
                nav.pager {
                    @if window.skip > 0 { a href={ "/console/upcoming?days=" (days) "&skip=" (window.skip.saturating_sub(PER_PAGE)) } { "← earlier" } }
                    @if due.len() > window.skip + PER_PAGE { a href={ "/console/upcoming?days=" (days) "&skip=" (window.skip + PER_PAGE) } { "later →" } }
                }
            }
        }
    };
    signed_page(&console, &reader, "Upcoming", Nav::Upcoming, body)
}
