//! Authentication of the Okta client: an `SSWS` API token, or OAuth 2.0 client credentials
//! (the token endpoint exchange is in `token.rs`). OAuth access tokens are cached and renewed
//! shortly before they expire, one renewal at a time however many requests wait; DPoP-bound
//! tokens get a fresh proof per request. Tokens live only in [`Secret`]s and in header values
//! marked sensitive; this module never logs or formats one.

use super::counters::Counters;
use super::dpop::DpopKey;
use super::error::Error;
use crate::config::{OAuthConfig, OktaAuth, Secret};
use jsonwebtoken::EncodingKey;
use reqwest::Method;
use reqwest::header::HeaderValue;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
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
    pub(super) client_id: String,
    pub(super) key: EncodingKey,
    pub(super) key_id: Option<String>,
    pub(super) scopes: Vec<String>,
    pub(super) token_url: Url,
    /// Set once the token endpoint demanded DPoP.
    pub(super) dpop: OnceLock<DpopKey>,
    /// The token endpoint's latest `DPoP-Nonce`.
    pub(super) dpop_nonce: std::sync::Mutex<Option<String>>,
    cache: Mutex<Option<CachedToken>>,
    pub(super) fetched: AtomicU64,
}

/// An access token and what Okta said about it.
pub(super) struct CachedToken {
    /// The token.
    pub value: Secret,
    /// `token_type` DPoP: every request needs a proof.
    pub dpop: bool,
    /// When it was received.
    pub obtained_at: Instant,
    /// When Okta stops accepting it.
    pub expires_at: Instant,
    /// When to renew it.
    pub renew_at: Instant,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

/// The authentication headers of one request.
pub(crate) struct RequestAuth {
    /// `Authorization`.
    pub authorization: HeaderValue,
    /// `DPoP` proof, for DPoP-bound tokens.
    pub dpop: Option<HeaderValue>,
}

impl Auth {
    /// Builds the authenticator; the token URL is `{org}/oauth2/v1/token`.
    pub(crate) fn new(config: &OktaAuth, org_url: &Url) -> Result<Self, Error> {
        match config {
            OktaAuth::Ssws(token) => Ok(Self::Ssws(token.clone())),
            OktaAuth::OAuth(oauth) => Ok(Self::OAuth(Box::new(OAuthState::new(oauth, org_url)?))),
        }
    }

    /// The authentication headers for a request (fetching a token if needed).
    pub(crate) async fn headers(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
        method: &Method,
        url: &Url,
    ) -> Result<RequestAuth, Error> {
        match self {
            Self::Ssws(token) => Ok(RequestAuth {
                authorization: sensitive(&format!("SSWS {}", token.expose()))?,
                dpop: None,
            }),
            Self::OAuth(state) => state.headers(http, counters, method, url).await,
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
                let mut cache = state.cache.lock().await;
                state.ensure_token(&mut cache, http, counters).await?;
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

    /// OAuth: whether the tokens are DPoP-bound (the app requires DPoP).
    pub(crate) fn uses_dpop(&self) -> bool {
        match self {
            Self::Ssws(_) => false,
            Self::OAuth(state) => state.dpop.get().is_some(),
        }
    }
}

/// A header value marked sensitive (redacted from any `Debug` output).
pub(super) fn sensitive(text: &str) -> Result<HeaderValue, Error> {
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
            dpop: OnceLock::new(),
            dpop_nonce: std::sync::Mutex::new(None),
            cache: Mutex::new(None),
            fetched: AtomicU64::new(0),
        })
    }

    /// Makes sure `cache` holds a token that is not due for renewal.
    async fn ensure_token(
        &self,
        cache: &mut Option<CachedToken>,
        http: &reqwest::Client,
        counters: &Counters,
    ) -> Result<(), Error> {
        let now = Instant::now();
        let fresh_enough = cache
            .as_ref()
            .is_some_and(|c| now < c.renew_at && now < c.expires_at);
        if !fresh_enough {
            *cache = Some(self.fetch(http, counters).await?);
        }
        Ok(())
    }

    async fn headers(
        &self,
        http: &reqwest::Client,
        counters: &Counters,
        method: &Method,
        url: &Url,
    ) -> Result<RequestAuth, Error> {
        // Holding the lock while fetching makes concurrent callers wait for one renewal.
        let mut cache = self.cache.lock().await;
        self.ensure_token(&mut cache, http, counters).await?;
        let Some(token) = cache.as_ref() else {
            return Err(Error::Auth("no access token after a renewal".to_owned()));
        };
        match (token.dpop, self.dpop.get()) {
            (true, Some(key)) => Ok(RequestAuth {
                authorization: sensitive(&format!("DPoP {}", token.value.expose()))?,
                dpop: Some(sensitive(&key.proof(
                    method.as_str(),
                    url,
                    None,
                    Some(token.value.expose()),
                )?)?),
            }),
            _ => Ok(RequestAuth {
                authorization: sensitive(&format!("Bearer {}", token.value.expose()))?,
                dpop: None,
            }),
        }
    }
}
