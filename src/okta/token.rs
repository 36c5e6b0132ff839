//! The OAuth 2.0 token endpoint exchange: client credentials with a `private_key_jwt`
//! assertion (RS256, fresh `jti` each time), and the DPoP dance when the app requires it (make
//! a key, send a proof, repeat with the server's nonce). Answers become cached tokens or
//! errors that say what to fix in Okta. Never logs a token or an assertion.

use super::auth::{CachedToken, OAuthState};
use super::counters::{Counters, EndpointClass, RequestOutcome};
use super::dpop::DpopKey;
use super::error::Error;
use crate::config::Secret;
use jsonwebtoken::{Algorithm, Header};
use rand::Rng;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

/// What the token endpoint answers (the token moves into a [`Secret`] at once).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// An OAuth error answer.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct OAuthErrorBody {
    error: String,
    error_description: String,
}

/// The claims of a client assertion.
#[derive(serde::Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
}

/// One exchange's result.
enum Answer {
    Token(CachedToken),
    /// The app requires DPoP (the request had no proof).
    NeedsDpop,
    /// Repeat the request with this nonce.
    NeedsNonce(String),
}

impl OAuthState {
    /// A fresh access token, doing the DPoP dance if the app requires it.
    pub(super) async fn fetch(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<CachedToken, Error> {
        // At most: plain → DPoP required → nonce required → token.
        for _ in 0..4 {
            match self.exchange(http, counters).await? {
                Answer::Token(t) => return Ok(t),
                Answer::NeedsDpop => {
                    if self.dpop.get().is_some() {
                        break;
                    }
                    tracing::info!(
                        "the Okta service app requires DPoP; binding tokens to a new key"
                    );
                    let _ = self.dpop.set(DpopKey::generate()?);
                }
                Answer::NeedsNonce(nonce) => {
                    *self
                        .dpop_nonce
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(nonce);
                }
            }
        }
        Err(Error::Auth(
            "the token endpoint kept refusing the DPoP proof; untick \"Require Demonstrating \
             Proof of Possession (DPoP) header in token requests\" for the service app"
                .to_owned(),
        ))
    }

    fn assertion(&self) -> Result<String, Error> {
        let now = chrono::Utc::now().timestamp();
        let mut jti = [0u8; 16];
        rand::rng().fill(&mut jti);
        let claims = AssertionClaims {
            iss: &self.client_id,
            sub: &self.client_id,
            aud: self.token_url.as_str(),
            iat: now,
            exp: now + 300,
            jti: jti.iter().map(|b| format!("{b:02x}")).collect(),
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid.clone_from(&self.key_id);
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| Error::Config(format!("cannot sign the OAuth client assertion: {e}")))
    }

    async fn exchange(&self, http: &reqwest::Client, counters: &Counters) -> Result<Answer, Error> {
        let assertion = self.assertion()?;
        let scope = self.scopes.join(" ");
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", scope.as_str()),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
        ];
        let mut req = http
            .post(self.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let dpop = self.dpop.get();
        if let Some(key) = dpop {
            let nonce = self
                .dpop_nonce
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            let proof = key.proof("POST", &self.token_url, nonce.as_deref(), None)?;
            req = req.header("DPoP", proof);
        }
        let sent_at = Instant::now();
        let resp = req.send().await.map_err(|e| {
            counters.record(EndpointClass::Token, RequestOutcome::Transport);
            Error::transport(Some("token endpoint"), e)
        })?;
        let status = resp.status().as_u16();
        counters.record(EndpointClass::Token, RequestOutcome::of_status(status));
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-okta-request-id");
        let nonce = header("dpop-nonce");
        let body = resp
            .bytes()
            .await
            .map_err(|e| Error::transport(Some("token endpoint"), e))?;
        if status == 429 || status >= 500 {
            return Err(super::error::from_response(
                status,
                None,
                request_id,
                &body,
                "obtain an OAuth token",
            ));
        }
        if !(200..300).contains(&status) {
            let e: OAuthErrorBody = serde_json::from_slice(&body).unwrap_or_default();
            return match (e.error.as_str(), dpop, nonce) {
                ("invalid_dpop_proof", None, _) => Ok(Answer::NeedsDpop),
                ("use_dpop_nonce", _, Some(n)) => Ok(Answer::NeedsNonce(n)),
                _ => Err(Error::Auth(token_error_message(status, &e))),
            };
        }
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| Error::Decode("the token endpoint's answer is not a token".to_owned()))?;
        let bound = t.token_type.eq_ignore_ascii_case("dpop");
        if bound && dpop.is_none() {
            return Err(Error::Auth(
                "the token endpoint issued a DPoP token without a proof".to_owned(),
            ));
        }
        let lifetime = Duration::from_secs(t.expires_in.unwrap_or(3600).max(1));
        // Renew 5 minutes early, or a tenth of the lifetime early for short-lived tokens.
        let margin = (lifetime / 10).min(Duration::from_secs(300));
        self.fetched.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            dpop = bound,
            "obtained an OAuth access token"
        );
        let scopes = t.scope.as_deref().map_or_else(
            || self.scopes.clone(),
            |s| s.split_whitespace().map(str::to_owned).collect(),
        );
        Ok(Answer::Token(CachedToken {
            value: Secret::new(t.access_token),
            dpop: bound,
            obtained_at: Instant::now(),
            expires_at: sent_at + lifetime,
            renew_at: sent_at + lifetime - margin,
            scopes,
        }))
    }
}

fn token_error_message(status: u16, e: &OAuthErrorBody) -> String {
    let code = if e.error.is_empty() {
        "(no error code)"
    } else {
        &e.error
    };
    let base = format!("{status} {code}: {}", e.error_description);
    match e.error.as_str() {
        "use_dpop_nonce" | "invalid_dpop_proof" => format!(
            "{base}. The service app requires DPoP and the proof was refused; untick \
             \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" in \
             the app's settings"
        ),
        "invalid_client" => format!(
            "{base}. Check okta.oauth.client_id, that the public key of okta.oauth.private_key \
             is registered with the app (and key_id matches), and that the app uses \
             private_key_jwt"
        ),
        "invalid_scope" => format!(
            "{base}. Grant the requested scopes (okta.users.read / okta.users.manage) to the app \
             in its Okta API Scopes tab"
        ),
        _ => base,
    }
}
