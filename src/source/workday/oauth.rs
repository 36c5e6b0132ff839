//! Workday OAuth for integrations: a refresh token (generated for an API client and the
//! Integration System User) exchanged at `{base}/ccx/oauth2/{tenant}/token` for an access
//! token, which is kept and reused until shortly before it expires (`expires_in`, or ten
//! minutes when Workday does not say). One exchange at a time; a refused refresh token or
//! client (`invalid_grant`, `invalid_client`, 401/403) is an authentication failure, never
//! retried. The refresh token, client secret and access token never reach a log, an error
//! or `Debug`.

use crate::config::Secret;
use crate::source::SourceError;
use crate::source::http::{Auth, Fetcher, decode_json, read_capped, unreadable};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// The lifetime assumed when the token answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(600);

/// How long before its expiry a token is replaced (a report can take minutes to start).
const MARGIN: Duration = Duration::from_secs(60);

/// The longest a token exchange may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest token answer read.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Gets and caches access tokens for one API client.
#[derive(Clone)]
pub struct TokenSource {
    url: Url,
    client: Auth,
    refresh_token: Secret,
    fetcher: Fetcher,
    cached: Arc<tokio::sync::Mutex<Option<(Secret, Instant)>>>,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A token source for the client `client_id`/`client_secret` at `url`.
    pub fn new(
        url: Url,
        client_id: &str,
        client_secret: Secret,
        refresh_token: Secret,
        fetcher: Fetcher,
    ) -> Self {
        Self {
            url,
            client: Auth::Basic {
                user: Secret::new(client_id),
                password: client_secret,
            },
            refresh_token,
            fetcher,
            cached: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// A valid access token, and whether it was fetched just now (a fresh token refused by
    /// Workday is not worth replacing).
    pub async fn access_token(&self) -> Result<(Secret, bool), SourceError> {
        let mut cached = self.cached.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok((token.clone(), false));
        }
        let (token, lifetime) = self.exchange().await?;
        let until = Instant::now() + lifetime.saturating_sub(MARGIN);
        *cached = Some((token.clone(), until));
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            "Workday access token obtained"
        );
        Ok((token, true))
    }

    /// Drops the cached token (Workday refused it).
    pub async fn forget(&self) {
        *self.cached.lock().await = None;
    }

    async fn exchange(&self) -> Result<(Secret, Duration), SourceError> {
        let url = self.url.as_str();
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", self.refresh_token.expose()),
        ];
        let request = self
            .client
            .apply(self.fetcher.http().post(self.url.clone()))
            .timeout(TOKEN_TIMEOUT)
            .form(&form);
        let response = request.send().await.map_err(|e| {
            let why = if e.is_timeout() {
                format!("no answer within {} s", TOKEN_TIMEOUT.as_secs())
            } else {
                e.without_url().to_string()
            };
            unreadable(url, &format!("cannot get a Workday access token: {why}"))
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let vendor = *self.fetcher.vendor();
        let body = read_capped(url, &vendor, MAX_TOKEN_BYTES, response)
            .await
            .map_err(|e| {
                e.unwrap_or_else(|| unreadable(url, "the token answer did not arrive in time"))
            })?;
        if !status.is_success() {
            return Err(refused(url, status, &body));
        }
        let value = decode_json(url, &vendor, &headers, &body)?;
        let token = value
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| unreadable(url, "the token answer has no access_token"))?;
        let lifetime = value
            .get("expires_in")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok((Secret::new(token), lifetime))
    }
}

/// The error of a refused exchange: 400/401/403 are the credentials (never retried), other
/// statuses a failure the next run retries. Only the OAuth `error` code is shown.
fn refused(url: &str, status: StatusCode, body: &[u8]) -> SourceError {
    let code = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
        .filter(|c| c.len() <= 64 && c.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|c| format!(", {c}"))
        .unwrap_or_default();
    let http = status.as_u16();
    if matches!(
        status,
        StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    ) {
        SourceError::Auth {
            location: url.to_owned(),
            message: format!(
                "Workday refused the OAuth refresh token or client (HTTP {http}{code}); check [source] client_id, client_secret and refresh_token (a refresh token is revoked when the API client or the ISU's access changes: generate a new one). hrsync does not retry"
            ),
        }
    } else {
        unreadable(
            url,
            &format!("cannot get a Workday access token (HTTP {http}{code})"),
        )
    }
}
