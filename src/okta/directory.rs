//! [`OktaRead`] and [`OktaWrite`] for [`OktaClient`]: paged reads (DEPROVISIONED users
//! included; several listings side by side, merged by `lastUpdated`; the users changed since
//! an instant), creates
//! that survive a lost response without duplicating, partial profile updates and lifecycle
//! calls that treat "already in the target state" after a retry as success (`lifecycle`). Request
//! mechanics (auth, pacing, retries) are in `client.rs`.

use super::client::{Call, OktaClient};
use super::counters::EndpointClass;
use super::error::Error;
use super::merge::{merge_listings, newest_copies};
use super::paging::{PageGuard, max_pages};
use super::{OktaRead, OktaWrite, Receipt, Written};
use crate::model::{OktaUser, OktaUserId, Profile};
use crate::progress::Progress;
use chrono::{DateTime, Utc};
use reqwest::Method;
use std::collections::BTreeSet;
use url::Url;

mod lifecycle;
use lifecycle::Lifecycle;

/// Page size of every listing (Okta's maximum).
pub const PAGE_SIZE: u32 = 200;

impl OktaClient {
    pub(super) fn users_url(&self, query: &[(&str, &str)]) -> Result<Url, Error> {
        let mut url = self.url("api/v1/users")?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn user_url(&self, id_or_login: &str, tail: &[&str]) -> Result<Url, Error> {
        let mut url = self.url("api/v1/users")?;
        url.path_segments_mut()
            .map_err(|()| Error::Config("the org URL cannot have a path".to_owned()))?
            .push(id_or_login)
            .extend(tail);
        Ok(url)
    }

    /// One page of a listing: its users and the reply (for its `next` link).
    pub(super) async fn list_page(
        &self,
        url: Url,
    ) -> Result<(Vec<OktaUser>, super::client::Reply), Error> {
        let call = Call {
            method: Method::GET,
            url,
            class: EndpointClass::List,
            body: None,
            operation: "list users",
        };
        let reply = self.execute(&call).await.result?;
        let page: Vec<OktaUser> = serde_json::from_slice(&reply.body)
            .map_err(|e| Error::Decode(format!("a page of users: {e}")))?;
        Ok((page, reply))
    }

    /// Reads every page starting at `first`, reporting each page into `progress`; every copy
    /// is kept (a user seen again on a later page, changed while the listing paged, is there
    /// twice: callers keep the newest, [`newest_copies`]). With `keep`, each user's profile
    /// is reduced to those attributes as its page is read (a listing of 100,000 users would
    /// otherwise hold every attribute of every user until it ends); `sink` is handed each page
    /// once reduced. A next link back to a page already read, or more pages than an org can
    /// hold ([`max_pages`]), fails the listing.
    async fn read_pages(
        &self,
        first: Url,
        keep: Option<&BTreeSet<String>>,
        sink: Option<&super::PageSink>,
        progress: &Progress,
    ) -> Result<Vec<OktaUser>, Error> {
        let listing = format!("GET {}", first.path());
        let mut guard = PageGuard::new(&first, max_pages(PAGE_SIZE));
        let mut out: Vec<OktaUser> = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let (page, reply) = self.list_page(url).await?;
            let page_len = page.len();
            out.extend(page.into_iter().map(|mut user| {
                if let Some(keep) = keep {
                    user.profile.retain(|name| keep.contains(name));
                }
                user
            }));
            if let Some(sink) = sink {
                sink(&out[out.len() - page_len..]);
            }
            progress.okta_page(page_len);
            next = reply
                .next
                .as_deref()
                .map(|l| self.same_origin(l))
                .transpose()?;
            if let Some(url) = &next {
                guard.admit(url).map_err(|detail| Error::Paging {
                    listing: listing.clone(),
                    detail,
                })?;
            }
        }
        Ok(out)
    }

    /// Reads the listings starting at `firsts` at once (each one cursor after the other, the
    /// listings side by side, within the client's concurrency) and merges them; `keep` as in
    /// [`OktaClient::read_pages`].
    async fn read_listings(
        &self,
        firsts: Vec<Url>,
        keep: Option<&BTreeSet<String>>,
        sink: Option<&super::PageSink>,
        progress: &Progress,
    ) -> Result<Vec<OktaUser>, Error> {
        let listings = futures::future::try_join_all(
            firsts
                .into_iter()
                .map(|u| self.read_pages(u, keep, sink, progress)),
        )
        .await?;
        Ok(merge_listings(listings))
    }

    async fn user_call(&self, call: Call<'_>) -> Result<OktaUser, Error> {
        let reply = self.execute(&call).await.result?;
        parse_user(&reply.body)
    }

    /// A create that failed with "login already exists" after an attempt whose answer was
    /// lost: the user is ours when it carries this employee's anchor.
    async fn recover_create(&self, profile: &Profile, error: Error) -> Result<OktaUser, Error> {
        let (Some(login), Some(anchor)) = (
            profile.get("login").and_then(|v| v.as_str()),
            profile.get(&self.anchor_attribute),
        ) else {
            return Err(error);
        };
        let existing = self.get_user(login).await?;
        if existing.profile.get(&self.anchor_attribute) == Some(anchor) {
            tracing::info!(okta_id = %existing.id, "a retried create had already been applied; using that user");
            Ok(existing)
        } else {
            Err(error)
        }
    }
}

/// The user of a write's answer, with the answer's request id.
fn written(reply: &super::client::Reply) -> Result<Written, Error> {
    Ok(Written {
        user: parse_user(&reply.body)?,
        receipt: Receipt {
            request_id: reply.request_id.clone(),
        },
    })
}

/// An instant as Okta's filters take it (`2026-12-01T12:00:00.000Z`).
fn okta_instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The `filter` expressions that split every user into ranges of `lastUpdated` at the sorted
/// `bounds`: before the first, between each two, from the last on. Every status is in one of
/// them (a filter includes DEPROVISIONED users), every user in exactly one.
pub(crate) fn split_filters(bounds: &[DateTime<Utc>]) -> Vec<String> {
    let mut out = Vec::with_capacity(bounds.len() + 1);
    let mut previous: Option<String> = None;
    for b in bounds {
        let b = okta_instant(*b);
        out.push(match &previous {
            None => format!("lastUpdated lt \"{b}\""),
            Some(p) => format!("lastUpdated ge \"{p}\" and lastUpdated lt \"{b}\""),
        });
        previous = Some(b);
    }
    if let Some(p) = previous {
        out.push(format!("lastUpdated ge \"{p}\""));
    }
    out
}

fn parse_user(body: &[u8]) -> Result<OktaUser, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode(format!("a user: {e}")))
}

impl OktaRead for OktaClient {
    async fn list_users(&self) -> Result<Vec<OktaUser>, Error> {
        self.list_users_with(&Progress::default()).await
    }

    async fn list_users_with(&self, progress: &Progress) -> Result<Vec<OktaUser>, Error> {
        self.list_users_split(&[], None, None, progress).await
    }

    async fn list_users_split(
        &self,
        bounds: &[DateTime<Utc>],
        keep: Option<&BTreeSet<String>>,
        sink: Option<&super::PageSink>,
        progress: &Progress,
    ) -> Result<Vec<OktaUser>, Error> {
        if bounds.is_empty() {
            let limit = PAGE_SIZE.to_string();
            let plain = self.users_url(&[("limit", &limit)])?;
            // A plain listing omits DEPROVISIONED users; a filter includes them.
            let deprovisioned =
                self.users_url(&[("filter", "status eq \"DEPROVISIONED\""), ("limit", &limit)])?;
            return self
                .read_listings(vec![plain, deprovisioned], keep, sink, progress)
                .await;
        }
        let limit = PAGE_SIZE.to_string();
        let firsts = split_filters(bounds)
            .iter()
            .map(|f| self.users_url(&[("filter", f), ("limit", &limit)]))
            .collect::<Result<Vec<_>, _>>()?;
        self.read_listings(firsts, keep, sink, progress).await
    }

    async fn list_changed(
        &self,
        since: DateTime<Utc>,
        progress: &Progress,
    ) -> Result<Vec<OktaUser>, Error> {
        let limit = PAGE_SIZE.to_string();
        let filter = format!("lastUpdated gt \"{}\"", okta_instant(since));
        let url = self.users_url(&[("filter", &filter), ("limit", &limit)])?;
        Ok(newest_copies(
            self.read_pages(url, None, None, progress).await?,
        ))
    }

    async fn last_updated_span(&self) -> Result<Option<super::Span>, Error> {
        OktaClient::last_updated_span(self).await
    }

    async fn get_user(&self, id_or_login: &str) -> Result<OktaUser, Error> {
        self.user_call(Call {
            method: Method::GET,
            url: self.user_url(id_or_login, &[])?,
            class: EndpointClass::Get,
            body: None,
            operation: "read users",
        })
        .await
    }

    async fn read_schema(&self) -> Result<crate::mapping::typed::UserSchema, Error> {
        self.get_schema().await
    }

    fn requests_made(&self) -> u64 {
        self.counters.snapshot().total()
    }

    fn begin_run(&self) {
        self.retry_budget.reset();
    }
}

impl OktaWrite for OktaClient {
    fn set_write_gate(&self, gate: Option<std::sync::Arc<dyn super::WriteGate>>) {
        *self
            .write_gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = gate;
    }

    async fn create_user(&self, profile: &Profile, activate: bool) -> Result<Written, Error> {
        let url = self.users_url(&[("activate", if activate { "true" } else { "false" })])?;
        let body = serde_json::json!({ "profile": profile });
        let call = Call {
            method: Method::POST,
            url,
            class: EndpointClass::Create,
            body: Some(&body),
            operation: "create users",
        };
        let outcome = self.execute(&call).await;
        match outcome.result {
            Ok(reply) => written(&reply),
            Err(e) if outcome.maybe_applied && e.is_duplicate_login() => Ok(Written {
                user: self.recover_create(profile, e).await?,
                receipt: Receipt::default(),
            }),
            Err(e) => Err(e),
        }
    }

    async fn update_profile(&self, id: &OktaUserId, changes: &Profile) -> Result<Written, Error> {
        let body = serde_json::json!({ "profile": changes });
        let call = Call {
            method: Method::POST,
            url: self.user_url(id.as_str(), &[])?,
            class: EndpointClass::Update,
            body: Some(&body),
            operation: "update users",
        };
        written(&self.execute(&call).await.result?)
    }

    async fn activate(&self, id: &OktaUserId) -> Result<Receipt, Error> {
        self.lifecycle(id, Lifecycle::Activate).await
    }

    async fn deactivate(&self, id: &OktaUserId) -> Result<Receipt, Error> {
        self.lifecycle(id, Lifecycle::Deactivate).await
    }

    async fn suspend(&self, id: &OktaUserId) -> Result<Receipt, Error> {
        self.lifecycle(id, Lifecycle::Suspend).await
    }

    async fn unsuspend(&self, id: &OktaUserId) -> Result<Receipt, Error> {
        self.lifecycle(id, Lifecycle::Unsuspend).await
    }

    async fn reactivate(&self, id: &OktaUserId) -> Result<Receipt, Error> {
        self.lifecycle(id, Lifecycle::Reactivate).await
    }

    async fn add_schema_attributes(
        &self,
        attributes: &[super::NewAttribute],
    ) -> Result<crate::mapping::typed::UserSchema, Error> {
        self.post_schema(attributes).await
    }
}
