//! One module per console page; here what they share: the frame for a signed-in reader, the
//! HTML response, and the notice shown before the first run has made its digest.

pub mod approve;
pub mod login;
pub mod overview;
pub mod people;
pub mod person;
pub mod runs;
pub mod upcoming;

use super::Console;
use super::access::Reader;
use super::layout::{self, Frame, Nav};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

/// A page for a signed-in reader.
fn signed_page(
    console: &Console,
    reader: &Reader,
    title: &str,
    nav: Nav,
    body: Markup,
) -> Response {
    let csrf = console.access().csrf_token(reader);
    let frame = Frame {
        title,
        nav,
        reader: Some((reader, csrf)),
    };
    Html(layout::page(&frame, body).into_string()).into_response()
}

/// What a page that needs the last run's digest says before there is one.
fn no_digest() -> Markup {
    layout::notice(
        "plain",
        "No run has finished since the daemon started: this page fills in after the first run.",
    )
}
