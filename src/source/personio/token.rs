//! Personio's bearer token: from `POST /v1/auth` with the client id and secret, reused for
//! its lifetime (the answer's `expires_in` less five minutes, else 23 h), forgotten when
//! Personio refuses it before its time. Never logs or returns the secret or the token.

use super::PersonioSource;
use crate::config::Secret;
use crate::source::SourceError;
use crate::source::http::{Auth, malformed};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

/// How long a token is reused when the auth answer does not say (Personio's v1 tokens last
/// 24 h), less a margin.
const TOKEN_LIFETIME: Duration = Duration::from_secs(23 * 3600);

impl PersonioSource {
    /// The token, from the cache while it lasts (`true`), else from `POST /v1/auth`
    /// (`false`).
    pub(super) async fn token(&self) -> Result<(Secret, bool), SourceError> {
        if let Some((token, until)) = self
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && Instant::now() < *until
        {
            return Ok((token.clone(), true));
        }
        let url = format!("{}/v1/auth", self.base);
        let body = serde_json::json!({
            "client_id": self.config.client_id.expose(),
            "client_secret": self.config.client_secret.expose(),
        });
        let answer = self
            .fetcher
            .send_json(&url, &Auth::None, |http| http.post(&url).json(&body))
            .await?;
        let data = answer.get("data").unwrap_or(&answer);
        let token = data
            .get("token")
            .or_else(|| data.get("access_token"))
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| malformed(&url, "the auth answer has no token"))?;
        let lifetime = data
            .get("expires_in")
            .and_then(Value::as_u64)
            .map(|s| Duration::from_secs(s.saturating_sub(300)))
            .unwrap_or(TOKEN_LIFETIME);
        let token = Secret::new(token);
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((token.clone(), Instant::now() + lifetime));
        Ok((token, false))
    }

    /// Forgets the cached token (Personio refused it before its time: revoked or rotated).
    pub(super) fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// What to say when Personio answers 401 or 403.
pub(super) fn auth_message(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!(
            "Personio refused the API credential (HTTP 401{detail}); check [source] client_id and client_secret (Settings > Integrations > API credentials). hrsync does not retry"
        )
    } else {
        format!(
            "the API credential may not read employees (HTTP 403{detail}); give it read access to Employees and the attributes hrsync reads. hrsync does not retry"
        )
    }
}
