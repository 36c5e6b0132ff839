//! Authentication of the Okta client: an `SSWS` API token, or OAuth 2.0 client credentials
//! with a `private_key_jwt` client assertion (RS256) at the org authorization server. OAuth
//! access tokens are cached and renewed shortly before they expire, one renewal at a time
//! however many requests wait. Tokens live only in [`Secret`]s and in `Authorization` header
//! values marked sensitive; this module never logs or formats one. DPoP is not supported: an
//! app that requires it gets an error saying so.

use super::counters::{Counters, EndpointClass, Outcome};
use super::error::Error;
use crate::config::{OAuthConfig, OktaAuth, Secret};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::Rng;
use reqwest::header::HeaderValue;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;

/// How requests are authenticated.
pub(crate) enum Auth {
    /// `Authorization: SSWS <token>`.
    Ssws(Secret),
    /// OAuth 2.0 service app.
    OAuth(Box<OAuthState>),
}

/// The OAuth client and its cached access token.
pub(crate) struct OAuthState {
    client_id: String,
    key: EncodingKey,
    key_id: Option<String>,
    scopes: Vec<String>,
    token_url: Url,
    cache: Mutex<Option<CachedToken>>,
    fetched: AtomicU64,
}

struct CachedToken {
    value: Secret,
    obtained_at: Instant,
    expires_at: Instant,
    renew_at: Instant,
    scopes: Vec<String>,
}

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

impl Auth {
    /// Builds the authenticator; the token URL is `{org}/oauth2/v1/token`.
    pub(crate) fn new(config: &OktaAuth, org_url: &Url) -> Result<Self, Error> {
        match config {
            OktaAuth::Ssws(token) => Ok(Self::Ssws(token.clone())),
            OktaAuth::OAuth(oauth) => Ok(Self::OAuth(Box::new(OAuthState::new(oauth, org_url)?))),
        }
    }

    /// The `Authorization` header value for the next request (fetching a token if needed).
    pub(crate) async fn header(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<HeaderValue, Error> {
        match self {
            Self::Ssws(token) => sensitive(&format!("SSWS {}", token.expose())),
            Self::OAuth(state) => state.header(http, counters).await,
        }
    }

    /// Forgets the cached OAuth token after Okta refused (401) a request started at
    /// `started`, unless the token was renewed since (by a concurrent request that saw the
    /// same 401), so that one refusal leads to one renewal.
    pub(crate) async fn invalidate(&self, started: Instant) {
        if let Self::OAuth(state) = self {
            let mut cache = state.cache.lock().await;
            if cache.as_ref().is_some_and(|c| c.obtained_at <= started) {
                *cache = None;
            }
        }
    }

    /// True for OAuth.
    pub(crate) fn is_oauth(&self) -> bool {
        matches!(self, Self::OAuth(_))
    }

    /// OAuth: the scopes the current token was granted (fetches one if needed).
    pub(crate) async fn granted_scopes(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<Option<Vec<String>>, Error> {
        match self {
            Self::Ssws(_) => Ok(None),
            Self::OAuth(state) => {
                state.header(http, counters).await?;
                let cache = state.cache.lock().await;
                Ok(cache.as_ref().map(|c| c.scopes.clone()))
            }
        }
    }

    /// OAuth: access tokens fetched so far.
    pub(crate) fn tokens_fetched(&self) -> u64 {
        match self {
            Self::Ssws(_) => 0,
            Self::OAuth(state) => state.fetched.load(Ordering::Relaxed),
        }
    }
}

fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(text).map_err(|_| {
        Error::Config("the Okta token contains characters not allowed in a header".to_owned())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

impl OAuthState {
    fn new(config: &OAuthConfig, org_url: &Url) -> Result<Self, Error> {
        let key =
            EncodingKey::from_rsa_pem(config.private_key.expose().as_bytes()).map_err(|_| {
                Error::Config(
                    "the OAuth private key is not a PEM RSA private key (PKCS#1 or PKCS#8)"
                        .to_owned(),
                )
            })?;
        let token_url = org_url
            .join("oauth2/v1/token")
            .map_err(|e| Error::Config(format!("cannot build the token URL: {e}")))?;
        Ok(Self {
            client_id: config.client_id.clone(),
            key,
            key_id: config.key_id.clone(),
            scopes: config.scopes.clone(),
            token_url,
            cache: Mutex::new(None),
            fetched: AtomicU64::new(0),
        })
    }

    async fn header(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<HeaderValue, Error> {
        // Holding the lock while fetching makes concurrent callers wait for one renewal.
        let mut cache = self.cache.lock().await;
        let now = Instant::now();
        if let Some(c) = cache.as_ref()
            && now < c.renew_at
            && now < c.expires_at
        {
            return sensitive(&format!("Bearer {}", c.value.expose()));
        }
        let fresh = self.fetch(http, counters).await?;
        let header = sensitive(&format!("Bearer {}", fresh.value.expose()));
        *cache = Some(fresh);
        header
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

    async fn fetch(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<CachedToken, Error> {
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
        let sent_at = Instant::now();
        let resp = http
            .post(self.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                counters.record(EndpointClass::Token, Outcome::Transport);
                Error::Transport(format!("token endpoint: {}", without_url(&e)))
            })?;
        let status = resp.status().as_u16();
        counters.record(EndpointClass::Token, Outcome::of_status(status));
        let request_id = resp
            .headers()
            .get("x-okta-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp
            .bytes()
            .await
            .map_err(|e| Error::Transport(format!("token endpoint: {}", without_url(&e))))?;
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
            return Err(Error::Auth(token_error_message(status, &e)));
        }
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| Error::Decode("the token endpoint's answer is not a token".to_owned()))?;
        if !t.token_type.is_empty() && !t.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::Auth(format!(
                "the token endpoint issued a {} token; hrsync only uses Bearer tokens (turn off \
                 DPoP for the service app)",
                t.token_type
            )));
        }
        let lifetime = Duration::from_secs(t.expires_in.unwrap_or(3600).max(1));
        // Renew 5 minutes early, or a tenth of the lifetime early for short-lived tokens.
        let margin = (lifetime / 10).min(Duration::from_secs(300));
        self.fetched.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            "obtained an OAuth access token"
        );
        let scopes = t.scope.as_deref().map_or_else(
            || self.scopes.clone(),
            |s| s.split_whitespace().map(str::to_owned).collect(),
        );
        Ok(CachedToken {
            value: Secret::new(t.access_token),
            obtained_at: Instant::now(),
            expires_at: sent_at + lifetime,
            renew_at: sent_at + lifetime - margin,
            scopes,
        })
    }
}

fn token_error_message(status: u16, e: &OAuthErrorBody) -> String {
    let base = format!(
        "{status} {}: {}",
        if e.error.is_empty() {
            "(no error code)"
        } else {
            &e.error
        },
        e.error_description
    );
    match e.error.as_str() {
        "use_dpop_nonce" | "invalid_dpop_proof" => format!(
            "{base}. The service app requires DPoP, which hrsync does not send: untick \
             \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" in \
             the app's settings"
        ),
        "invalid_client" => format!(
            "{base}. Check okta.oauth.client_id, that the public key of okta.oauth.private_key \
             is registered with the app (and key_id matches), and that the app uses \
             private_key_jwt"
        ),
        "invalid_scope" => format!(
            "{base}. Grant the requested scopes ({}) to the app in the Okta API Scopes tab",
            "okta.users.read / okta.users.manage"
        ),
        _ => base,
    }
}

/// A reqwest error's text without its URL (the URL itself holds no secret, but keep it short).
pub(crate) fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the response body broke off"
    } else if e.is_request() {
        "the request failed (connection closed or reset)"
    } else {
        "HTTP error"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}
