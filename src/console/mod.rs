//! The web console on the daemon's HTTP server (`[server] console = true`): server-rendered
//! pages for HR and IT — the overview (last runs, next run, what is held and why, quarantined
//! actions, how the HR and Okta reads went), people and one person's page, the forecast of
//! the days ahead, and each run's actions — plus the one write, approving a held plan.
//!
//! - [`access`]: who may read (token, session cookie, proxy header), admin token, CSRF.
//! - [`latest`]: the last run's snapshot, users, plan and forecast, swapped after each run.
//! - `data`: the journal reads of each page, on the blocking pool, each bounded.
//! - `layout` and `pages`: the HTML (maud), one module per page; `console.css` the style.
//!
//! It must not: run or plan anything (pages read [`latest::Latest`] and the journal), hold
//! anything a run needs while it renders (journal reads are short calls on the blocking
//! pool), render a secret, show a name or an email to anyone not signed in, or use inline
//! script or style. Every response carries the security headers (`security_headers`).

pub mod access;
mod data;
pub mod latest;
mod layout;
mod pages;

use crate::daemon::health::Health;
use crate::journal::Journal;
use access::{Access, Reader};
use axum::Router;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::sync::Arc;

pub use latest::{Latest, Shared};

/// The stylesheet, served at `/console/console.css`.
const CSS: &str = include_str!("console.css");

/// The `Content-Security-Policy` of every console response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the console's handlers share; cheap to clone.
#[derive(Clone)]
pub struct Console(Arc<Inner>);

struct Inner {
    access: Access,
    latest: Shared,
    /// The handle pages read (a read-only connection of its own, so a page's read never
    /// waits for, or holds, the connection a run writes through).
    journal: Journal,
    /// The daemon's own handle, for the one write (an approval).
    writer: Journal,
    health: Arc<Health>,
}

impl Console {
    /// The console over the daemon's journal (`writer`, which approvals write through;
    /// pages read `reader`, a read-only handle of its own on the same journal), the digest
    /// `latest` the runner publishes and the daemon's health; `None` when `[server] console`
    /// is off.
    pub fn new(
        server: &crate::config::ServerConfig,
        writer: Journal,
        reader: Journal,
        latest: Shared,
        health: Arc<Health>,
    ) -> Option<Self> {
        let access = Access::from_config(server)?;
        Some(Self(Arc::new(Inner {
            access,
            latest,
            journal: reader,
            writer,
            health,
        })))
    }

    /// The console's routes, to merge into the daemon's router.
    pub fn routes(self) -> Router {
        Router::new()
            .route("/console", get(pages::overview::page))
            .route(
                "/console/login",
                get(pages::login::form).post(pages::login::sign_in),
            )
            .route("/console/logout", post(pages::login::sign_out))
            .route("/console/people", get(pages::people::page))
            .route("/console/people/{id}", get(pages::person::page))
            .route("/console/upcoming", get(pages::upcoming::page))
            .route("/console/runs", get(pages::runs::page))
            .route("/console/approve", post(pages::approve::submit))
            .route("/console/console.css", get(css))
            .layer(axum::middleware::map_response(security_headers))
            .with_state(self)
    }

    fn access(&self) -> &Access {
        &self.0.access
    }

    fn latest(&self) -> Option<Arc<Latest>> {
        self.0.latest.get()
    }

    fn journal(&self) -> &Journal {
        &self.0.journal
    }

    fn writer(&self) -> &Journal {
        &self.0.writer
    }

    fn health(&self) -> &Health {
        &self.0.health
    }
}

/// A signed-in reader, as a handler argument: anyone else is sent to the sign-in page.
pub struct SignedIn(pub Reader);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn
where
    Console: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let console = Console::from_ref(state);
        match console.access().reader(&parts.headers) {
            Some(reader) => Ok(Self(reader)),
            None if parts.headers.contains_key(header::AUTHORIZATION) => {
                Err((StatusCode::UNAUTHORIZED, "the bearer token is not valid\n").into_response())
            }
            None => Err(Redirect::to("/console/login").into_response()),
        }
    }
}

/// `GET /console/console.css`.
async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        CSS,
    )
        .into_response()
}

/// The headers on every console response: the CSP, no sniffing, no referrer, no framing,
/// and `no-store` on everything but the stylesheet (pages name people).
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests;
