//! An in-memory Okta Users API server (axum) that behaves like Okta: cursor paging with
//! `Link` headers, `search`/`filter`, the user lifecycle state machine with Okta's error
//! codes, rate-limit buckets and headers, SSWS and OAuth (`private_key_jwt`) auth with
//! scopes, and switchable faults. Used by tests, benchmarks, `hrsync demo` and the
//! `okta-emulator` binary. It is a test double: it must never be pointed at real data, and it
//! keeps nothing on disk.
//!
//! Start one with [`Emulator::start`]; it binds `127.0.0.1:0` and returns an
//! [`EmulatorHandle`].

mod app;
mod auth;
mod clock;
mod config;
mod control;
mod dpop;
mod errors;
mod faults;
mod fields;
mod filter;
mod ids;
mod lifecycle;
mod owner;
mod pipeline;
mod profile;
mod ratelimit;
mod schema;
mod schema_api;
mod server;
mod sort;
mod state;
mod stats;
mod token;
mod user;
mod users;
mod wire;

pub use config::{ApiToken, EmulatorConfig, Faults, OAuthClient, RateLimits};
pub use schema::{CustomProperty, PropertyType};
pub use stats::{EmulatorStats, RouteCount};
pub use wire::{Status, User, email_shaped};

use app::{App, Shared};
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use state::lock;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The emulator's entry point.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with an OS-chosen port.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<EmulatorHandle> {
        Self::start_on(
            "127.0.0.1:0".parse().map_err(std::io::Error::other)?,
            config,
        )
        .await
    }

    /// Starts an emulator on the given address.
    pub async fn start_on(
        addr: SocketAddr,
        config: EmulatorConfig,
    ) -> std::io::Result<EmulatorHandle> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let base_url = format!("http://{local}");
        let shared = Arc::new(Shared::new(base_url, config));
        let router = router(shared.clone());
        let server = server::spawn(listener, router);
        Ok(EmulatorHandle {
            shared,
            addr: local,
            server,
        })
    }
}

/// Largest body `/__emulator/*` accepts (a seed of 100,000 users fits).
const CONTROL_BODY_LIMIT: usize = 512 * 1024 * 1024;

fn router(app: App) -> Router {
    let mut api = Router::new()
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/me", get(owner::me))
        .route(
            "/api/v1/users/{id}",
            get(users::get)
                .post(users::update)
                .put(users::replace)
                .delete(users::delete),
        )
        .route("/api/v1/users/{id}/roles", get(owner::roles))
        .route(
            schema_api::ROUTE,
            get(schema_api::get).post(schema_api::update),
        )
        .route(pipeline::TOKEN_ROUTE, post(token::token_endpoint));
    for op in lifecycle::OPERATIONS {
        api = api.route(
            &format!("/api/v1/users/{{id}}/lifecycle/{op}"),
            post(
                move |State(app): State<App>, Path(id): Path<String>, RawQuery(q): RawQuery| async move {
                    lifecycle::run(&app, &id, op, q.as_deref())
                },
            ),
        );
    }
    let api = api
        .fallback(users::not_found)
        .method_not_allowed_fallback(users::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pipeline::api,
        ));
    let control = Router::new()
        .route("/__emulator/users", get(control::get_users))
        .route("/__emulator/stats", get(control::get_stats))
        .route("/__emulator/stats/reset", post(control::reset_stats))
        .route("/__emulator/reset", post(control::reset))
        .route("/__emulator/seed", post(control::post_seed))
        .route("/__emulator/clock", post(control::post_clock))
        .route(
            "/__emulator/config",
            axum::routing::put(control::put_config),
        )
        // Seeding a benchmark org sends far more than axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::max(CONTROL_BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pipeline::control,
        ));
    control.merge(api).with_state(app)
}

/// A running emulator. Dropping it stops the server in the background; call
/// [`EmulatorHandle::shutdown`] to stop it and wait until it has stopped.
#[derive(Debug)]
pub struct EmulatorHandle {
    shared: App,
    addr: SocketAddr,
    server: server::Server,
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first SSWS token of the configuration (empty if none).
    pub fn token(&self) -> String {
        lock(&self.shared.config)
            .tokens
            .first()
            .map(|t| t.token.clone())
            .unwrap_or_default()
    }

    /// Every user, DEPROVISIONED included.
    pub fn users(&self) -> Vec<User> {
        let mut store = lock(&self.shared.store);
        store.settle(self.shared.now());
        store.all().map(user::UserRecord::to_user).collect()
    }

    /// Every user in the API's JSON shape.
    pub fn users_json(&self) -> Vec<serde_json::Value> {
        lock(&self.shared.store).settle(self.shared.now());
        control::users_json(&self.shared)
    }

    /// Loads users in any status with any profile (and their `id` if given); same as
    /// `POST /__emulator/seed`. Entries that are not JSON objects are skipped.
    pub fn seed(&self, users: Vec<serde_json::Value>) {
        control::seed(&self.shared, &users);
    }

    /// Request statistics (same as `GET /__emulator/stats`).
    pub fn stats(&self) -> EmulatorStats {
        control::stats(&self.shared)
    }

    /// Zeroes the statistics.
    pub fn reset_stats(&self) {
        self.shared.reset_stats();
    }

    /// Changes the configuration (faults, limits, tokens) while running.
    pub fn update_config(&self, f: impl FnOnce(&mut EmulatorConfig)) {
        f(&mut lock(&self.shared.config));
        self.shared.config_changed();
    }

    /// Moves the org clock forward (user timestamps, the search lag and activation delays
    /// follow it; authentication and rate-limit windows keep real time).
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.shared.clock.advance(by);
    }

    /// The org clock's current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.shared.now()
    }

    /// The user schema in the API's shape (same as `GET /api/v1/meta/schemas/user/default`).
    pub fn schema_json(&self) -> serde_json::Value {
        lock(&self.shared.store)
            .schema()
            .render(&self.shared.base_url)
    }

    /// Stops accepting connections and closes the open ones.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
