//! The frame every console page shares (head, navigation, sign-out form) and the small
//! formatting helpers the pages use: instants in UTC and in a zone, durations, outcome
//! badges. HTML only; maud escapes every value, so nothing from HR or Okta can inject markup.
//!
//! No inline script or style (the CSP forbids both); one stylesheet, `/console/console.css`.

use super::access::Reader;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{DOCTYPE, Markup, html};

/// Which navigation entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The overview.
    Overview,
    /// People and a person's page.
    People,
    /// The forecast.
    Upcoming,
    /// Runs and their actions.
    Runs,
    /// The sign-in page (no navigation).
    None,
}

/// What the frame needs to know of the request.
pub struct Frame<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The current navigation entry.
    pub nav: Nav,
    /// The reader and their CSRF token (for the sign-out form), when signed in.
    pub reader: Option<(&'a Reader, String)>,
}

/// A whole page: the frame around `body`.
pub fn page(frame: &Frame<'_>, body: Markup) -> Markup {
    let entry = |nav: Nav, href: &str, label: &str| {
        html! {
            @if frame.nav == nav {
                a href=(href) aria-current="page" { (label) }
            } @else {
                a href=(href) { (label) }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " · hrsync" }
                link rel="stylesheet" href="/console/console.css";
            }
            body {
                header.top {
                    span.brand { "hrsync" }
                    @if frame.nav != Nav::None {
                        nav {
                            (entry(Nav::Overview, "/console", "Overview"))
                            (entry(Nav::People, "/console/people", "People"))
                            (entry(Nav::Upcoming, "/console/upcoming", "Upcoming"))
                            (entry(Nav::Runs, "/console/runs", "Runs"))
                        }
                    }
                    @if let Some((reader, csrf)) = &frame.reader {
                        @if let Reader::Session(_) = reader {
                            form.signout method="post" action="/console/logout" {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" { "Sign out" }
                            }
                        } @else if let Reader::Proxy(user) = reader {
                            span.user { (user) }
                        }
                    }
                }
                main {
                    h1 { (frame.title) }
                    (body)
                }
            }
        }
    }
}

/// `2026-12-14 09:00Z`.
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%MZ").to_string()
}

/// `2026-12-14 09:00:05Z`, for runs and actions.
pub fn utc_seconds(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// `2026-12-14 09:00 Europe/London`.
pub fn local(t: DateTime<Utc>, zone: Tz) -> String {
    crate::plan::forecast::local_text(t, zone)
}

/// `1.4 s`, `3 min 2 s`, `-` when unknown.
pub fn duration(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> String {
    let Some(to) = to else {
        return "-".to_owned();
    };
    let ms = (to - from).num_milliseconds().max(0);
    if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

/// A status or outcome as a badge whose colour class follows its meaning.
pub fn badge(text: &str) -> Markup {
    let class = match text {
        "applied" | "no_changes" | "ok" | "ready" => "good",
        "failed" | "fatal" | "interrupted" => "bad",
        "blocked" | "partial" | "skipped" | "pending" | "held_back" | "deposed" => "warn",
        _ => "plain",
    };
    html! { span class={ "badge " (class) } { (text) } }
}

/// The phase as a reader understands it: `gone (terminated)` once the person counts as
/// departed, else the HR phase (`pre_hire`, `employed`, …).
pub fn phase(facts: &crate::plan::Facts) -> String {
    match facts.departed {
        Some(reason) => format!("gone ({})", reason.code()),
        None => facts.phase.to_string(),
    }
}

/// A notice box (nothing to show, an error, a result).
pub fn notice(class: &str, text: &str) -> Markup {
    html! { p class={ "notice " (class) } { (text) } }
}
