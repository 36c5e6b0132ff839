//! `GET /console/people?q=…`: search the last snapshot by name, email, login or employee id
//! (every word must match), a page of results at a time.

use super::{no_digest, signed_page};
use crate::console::layout::{self, Nav};
use crate::console::{Console, SignedIn};
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

/// Results per page.
pub const PER_PAGE: usize = 50;

/// The search's query string.
#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    skip: usize,
}

/// `GET /console/people`.
pub async fn page(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    Query(search): Query<Search>,
) -> Response {
    let q: String = search.q.trim().chars().take(200).collect();
    let body = html! {
        form.search method="get" action="/console/people" role="search" {
            label for="q" { "Name, email or employee id" }
            input #q type="search" name="q" value=(q) autofocus;
            button type="submit" { "Search" }
        }
        @match console.latest() {
            None => (no_digest()),
            Some(_) if q.is_empty() => (layout::notice("plain", "Type a name, an email or an employee id.")),
            Some(latest) => {
                @let (hits, more) = latest.search(&q, search.skip, PER_PAGE);
                @if hits.is_empty() {
                    (layout::notice("plain", "Nobody in the last HR snapshot matches."))
                } @else {
                    div.scroll { table {
                        thead { tr { th { "Name" } th { "Email" } th { "Employee id" } th { "HR phase" } th { "Okta" } } }
                        tbody {
                            @for i in &hits {
                                @if let (Some(e), Some(p)) = (latest.snapshot.employees.get(*i), latest.person_at(*i)) {
                                    @let facts = crate::plan::Facts::of(e, &latest.policy, latest.at);
                                    @let okta = latest.linked_users(e.id.as_str());
                                    tr {
                                        td { a href={ "/console/people/" (e.id.as_str()) } { @if p.name.is_empty() { (e.id.as_str()) } @else { (p.name) } } }
                                        td { (p.email) }
                                        td { code { (e.id.as_str()) } }
                                        td { (layout::phase(&facts)) }
                                        td { @if okta.is_empty() { "no user" } @else { @for u in &okta { (u.status) " " } } }
                                    }
                                }
                            }
                        }
                    } }
                    nav.pager {
                        @if search.skip > 0 {
                            a href={ "/console/people?q=" (urlencode(&q)) "&skip=" (search.skip.saturating_sub(PER_PAGE)) } { "← previous" }
                        }
                        @if more {
                            a href={ "/console/people?q=" (urlencode(&q)) "&skip=" (search.skip + PER_PAGE) } { "next →" }
                        }
                    }
                }
            }
        }
    };
    signed_page(&console, &reader, "People", Nav::People, body)
}

/// `q` for a query string.
pub fn urlencode(q: &str) -> String {
    percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string()
}
