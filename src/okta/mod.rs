//! Okta: the [`OktaRead`] and [`OktaWrite`] traits (reads for planning, writes for `apply`),
//! the [`ReadOnly`] handle, and the HTTP client ([`OktaClient`]) that implements both. Only this module knows Okta's HTTP details; nothing
//! here logs a token.
//!
//! - `client`: requests, concurrency, retries; `directory`: the trait's operations on it;
//! - `auth`: SSWS and OAuth 2.0 tokens; `token`: the token endpoint (`private_key_jwt`);
//!   `dpop`: DPoP proofs; `pacing`: rate-limit buckets;
//! - `retry`: backoff; `paging`: `Link` headers and the end of a listing; `counters`:
//!   request counts; `range`: the span of `lastUpdated` a first full pass splits by;
//! - `check`: what `hrsync check` reports about the credentials; `schema`: the user schema
//!   (read it, add custom attributes).

mod auth;
mod check;
mod client;
pub mod counters;
mod directory;
mod dpop;
mod error;
mod merge;
pub mod pacing;
pub mod paging;
mod range;
pub mod retry;
pub mod schema;
mod token;

pub use check::{AccessReport, WriteAccess, check_access, write_access_of_roles};
pub use client::OktaClient;
pub use counters::{CounterSnapshot, EndpointClass, RequestOutcome};
pub use directory::PAGE_SIZE;
pub use error::{Error, ErrorClass};
pub use merge::merge_newer;
pub use range::even_bounds;
pub use retry::RetryPolicy;

use crate::mapping::typed::UserSchema;
use crate::model::{OktaUser, OktaUserId, Profile};
use crate::progress::Progress;
use chrono::{DateTime, Utc};
pub use schema::NewAttribute;
use std::future::Future;
use std::sync::Arc;

/// The earliest and the latest `lastUpdated` of an org's users.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Handed each page of a listing as it is read (reduced to the kept attributes), before the
/// listings are merged: a full pass writes its pages to the cache while it lists.
pub type PageSink = dyn Fn(&[OktaUser]) + Send + Sync;

/// Asked before every write request (retries included): `Err` says why it must not be sent.
/// The leader lease's [`crate::ha::Fence`] is one; a single instance has none.
pub trait WriteGate: Send + Sync + std::fmt::Debug {
    /// Whether a write may go out now.
    fn may_write(&self) -> Result<(), String>;
}

/// What reading an Okta org needs: `plan`, `explain`, `check` and `forecast` hold only this
/// (a [`ReadOnly`] handle), so by type they cannot change a user.
pub trait OktaRead: Send + Sync {
    /// Every user, DEPROVISIONED included (the plain listing and the DEPROVISIONED one, side
    /// by side).
    fn list_users(&self) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send;
    /// Every user, as [`list_users`](Self::list_users), reporting each page read (and the
    /// distinct users so far) into `progress`. A directory that does not page reports its
    /// whole listing as one page.
    fn list_users_with(
        &self,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send {
        async move {
            let users = self.list_users().await?;
            progress.okta_page(users.len());
            Ok(users)
        }
    }
    /// Every user, DEPROVISIONED included, read as one `filter` listing per range of
    /// `lastUpdated` between the sorted `bounds`, side by side (a full pass near the
    /// rate-limit bound), each page reported into `progress`; no bounds is
    /// [`OktaRead::list_users_with`]. With `keep`, each user's profile holds only those
    /// attributes (reduced as each page is read); with `sink`, each page is also handed to
    /// it as it is read. Filters read Okta's eventually consistent index: a user changed in
    /// the last moments may be missing or old.
    fn list_users_split(
        &self,
        bounds: &[DateTime<Utc>],
        keep: Option<&std::collections::BTreeSet<String>>,
        sink: Option<&PageSink>,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send;
    /// The users whose `lastUpdated` is after `since`, every status (an incremental read;
    /// from Okta's eventually consistent index, like any filter), each page reported into
    /// `progress`.
    fn list_changed(
        &self,
        since: DateTime<Utc>,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send;
    /// The earliest and latest `lastUpdated` of the org's users (`None` without users, or
    /// for a directory that cannot tell): what a first full pass splits its listing by. From
    /// Okta's eventually consistent index, two requests.
    fn last_updated_span(&self) -> impl Future<Output = Result<Option<Span>, Error>> + Send {
        async { Ok(None) }
    }
    /// One user by id or login, read fresh.
    fn get_user(&self, id_or_login: &str) -> impl Future<Output = Result<OktaUser, Error>> + Send;
    /// Okta's user schema (default user type): one request.
    fn read_schema(&self) -> impl Future<Output = Result<UserSchema, Error>> + Send;
    /// Requests made so far by this directory (all endpoints, all outcomes).
    fn requests_made(&self) -> u64;
    /// A run begins: per-run budgets (the retry-wait budget) start afresh.
    fn begin_run(&self) {}
}

/// The writes `apply` makes, on top of the reads. Only `sync`, `run` and `demo` hold one.
pub trait OktaWrite: OktaRead {
    /// Creates a user; `activate` false leaves it STAGED.
    fn create_user(
        &self,
        profile: &Profile,
        activate: bool,
    ) -> impl Future<Output = Result<Written, Error>> + Send;
    /// Partial profile update: only these attributes; `null` clears.
    fn update_profile(
        &self,
        id: &OktaUserId,
        changes: &Profile,
    ) -> impl Future<Output = Result<Written, Error>> + Send;
    /// `lifecycle/activate`.
    fn activate(&self, id: &OktaUserId) -> impl Future<Output = Result<Receipt, Error>> + Send;
    /// `lifecycle/deactivate`.
    fn deactivate(&self, id: &OktaUserId) -> impl Future<Output = Result<Receipt, Error>> + Send;
    /// `lifecycle/suspend`.
    fn suspend(&self, id: &OktaUserId) -> impl Future<Output = Result<Receipt, Error>> + Send;
    /// `lifecycle/unsuspend`.
    fn unsuspend(&self, id: &OktaUserId) -> impl Future<Output = Result<Receipt, Error>> + Send;
    /// `lifecycle/reactivate` (PROVISIONED: resend activation).
    fn reactivate(&self, id: &OktaUserId) -> impl Future<Output = Result<Receipt, Error>> + Send;
    /// Adds custom attributes to the user schema in one partial `POST` (add only); answers
    /// the schema after the change.
    fn add_schema_attributes(
        &self,
        attributes: &[NewAttribute],
    ) -> impl Future<Output = Result<UserSchema, Error>> + Send;
    /// From now on, asks `gate` before every write request (`None`: no gate). A run under
    /// the leader lease sets its fence here for the length of its apply.
    fn set_write_gate(&self, gate: Option<Arc<dyn WriteGate>>) {
        let _ = gate;
    }
}

/// What Okta answered to a lifecycle call (which returns no user): the request id of the
/// answer, which the journal keeps for support tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    /// Okta's `X-Okta-Request-Id` of the call that changed the user, when known.
    pub request_id: Option<String>,
}

/// The user Okta answered to a create or a profile update, and the answer's request id.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The user as Okta answered.
    pub user: OktaUser,
    /// The request id of the answer (none when a retried create was found already applied).
    pub receipt: Receipt,
}

/// A read-only handle on a directory: it implements [`OktaRead`] and nothing else, so a
/// command given one cannot write, whatever its code does.
#[derive(Debug)]
pub struct ReadOnly<D>(pub D);

impl<D: OktaRead> OktaRead for ReadOnly<D> {
    fn list_users(&self) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send {
        self.0.list_users()
    }
    fn list_users_with(
        &self,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send {
        self.0.list_users_with(progress)
    }
    fn list_users_split(
        &self,
        bounds: &[DateTime<Utc>],
        keep: Option<&std::collections::BTreeSet<String>>,
        sink: Option<&PageSink>,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send {
        self.0.list_users_split(bounds, keep, sink, progress)
    }
    fn list_changed(
        &self,
        since: DateTime<Utc>,
        progress: &Progress,
    ) -> impl Future<Output = Result<Vec<OktaUser>, Error>> + Send {
        self.0.list_changed(since, progress)
    }
    fn last_updated_span(&self) -> impl Future<Output = Result<Option<Span>, Error>> + Send {
        self.0.last_updated_span()
    }
    fn get_user(&self, id_or_login: &str) -> impl Future<Output = Result<OktaUser, Error>> + Send {
        self.0.get_user(id_or_login)
    }
    fn read_schema(&self) -> impl Future<Output = Result<UserSchema, Error>> + Send {
        self.0.read_schema()
    }
    fn requests_made(&self) -> u64 {
        self.0.requests_made()
    }
    fn begin_run(&self) {
        self.0.begin_run();
    }
}
