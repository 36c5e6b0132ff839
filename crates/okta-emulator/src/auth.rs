//! Authentication and authorisation of API calls: `SSWS` API tokens, `Bearer` and `DPoP`
//! access tokens issued by the emulated token endpoint (`token.rs`), scope checks with Okta's
//! `insufficient_scope` answer, and read-only tokens. Never logs a token.

use super::config::EmulatorConfig;
use super::dpop;
use super::errors::ApiError;
use super::ids;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Scope needed to read users.
pub const SCOPE_READ: &str = "okta.users.read";
/// Scope needed to write users (implies read).
pub const SCOPE_MANAGE: &str = "okta.users.manage";
/// Scope needed to read the user schema.
pub const SCOPE_SCHEMAS_READ: &str = "okta.schemas.read";
/// Scope needed to change the user schema (implies read).
pub const SCOPE_SCHEMAS_MANAGE: &str = "okta.schemas.manage";

/// The (read, manage) scopes guarding an API path.
fn scopes_for(path: &str) -> (&'static str, &'static str) {
    if path.starts_with("/api/v1/meta/schemas") {
        (SCOPE_SCHEMAS_READ, SCOPE_SCHEMAS_MANAGE)
    } else {
        (SCOPE_READ, SCOPE_MANAGE)
    }
}

/// Who made a request.
#[derive(Clone, PartialEq)]
pub enum Principal {
    /// An SSWS token (by its index in the configuration).
    Ssws {
        /// Index into [`EmulatorConfig::tokens`].
        index: usize,
        /// Writes are refused.
        read_only: bool,
        /// Share of each bucket.
        share: f64,
    },
    /// An OAuth access token (`Bearer`, or `DPoP` when bound to a key).
    Bearer {
        /// The token is DPoP-bound (scheme `DPoP`).
        dpop: bool,
        /// The service app.
        client_id: String,
        /// Granted scopes.
        scopes: Vec<String>,
        /// Share of each bucket.
        share: f64,
    },
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

impl Principal {
    /// The rate-limit identity (`ssws:0`, `oauth:<client_id>`).
    pub fn key(&self) -> String {
        match self {
            Self::Ssws { index, .. } => format!("ssws:{index}"),
            Self::Bearer { client_id, .. } => format!("oauth:{client_id}"),
        }
    }

    /// This principal's share of each bucket.
    pub fn share(&self) -> f64 {
        match self {
            Self::Ssws { share, .. } | Self::Bearer { share, .. } => *share,
        }
    }

    /// Checks that the principal may make a request of this kind: `okta.users.*` scopes for
    /// the Users API, `okta.schemas.*` for `/api/v1/meta/schemas`. A Bearer token without the
    /// scope gets Okta's bodiless 403 with `WWW-Authenticate: … insufficient_scope`.
    pub fn authorize(&self, write: bool, base: &str, path: &str) -> Result<(), Box<Response>> {
        match self {
            Self::Ssws { read_only, .. } => {
                if write && *read_only {
                    Err(Box::new(ApiError::forbidden().into_response()))
                } else {
                    Ok(())
                }
            }
            Self::Bearer { scopes, dpop, .. } => {
                let has = |s: &str| scopes.iter().any(|g| g == s);
                let (read, manage) = scopes_for(path);
                let ok = has(manage) || (!write && has(read));
                if ok {
                    return Ok(());
                }
                let needed = if write { manage } else { read };
                let scheme = if *dpop { "DPoP" } else { "Bearer" };
                let value = format!(
                    "{scheme} authorization_uri=\"{base}/oauth2/v1/authorize\", realm=\"{base}\", scope=\"{needed}\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\", resource=\"{path}\""
                );
                let mut resp = StatusCode::FORBIDDEN.into_response();
                if let Ok(v) = HeaderValue::from_str(&value) {
                    resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
                }
                Err(Box::new(resp))
            }
        }
    }
}

/// An issued access token.
#[derive(Debug, Clone)]
pub(super) struct Issued {
    /// The service app.
    pub(super) client_id: String,
    /// Granted scopes.
    pub(super) scopes: Vec<String>,
    /// Expiry.
    pub(super) expires: DateTime<Utc>,
    /// Thumbprint of the DPoP key the token is bound to.
    pub(super) jkt: Option<String>,
}

/// Issued tokens, used client-assertion and DPoP proof ids, and the current DPoP nonce.
#[derive(Debug, Default)]
pub struct OAuthState {
    pub(super) tokens: HashMap<String, Issued>,
    pub(super) used_jti: HashSet<String>,
    pub(super) dpop_jti: dpop::UsedProofs,
    dpop_nonce: Option<String>,
}

/// What a request presents to authenticate.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `DPoP` proof header.
    pub dpop: Option<&'a str>,
    /// The request method.
    pub method: &'a str,
    /// The request URL without query (`http://127.0.0.1:PORT/api/v1/users`).
    pub url: &'a str,
}

/// Why a request is not authenticated.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthError {
    /// An Okta error (401 E0000011, 403 E0000005).
    Api(ApiError),
    /// A `DPoP` request whose proof is missing or wrong.
    Dpop(&'static str),
}

impl AuthError {
    /// The response: Okta's error, or a bodiless 401 with
    /// `WWW-Authenticate: DPoP error="invalid_dpop_proof"`.
    pub fn into_response(self) -> Response {
        match self {
            Self::Api(e) => e.into_response(),
            Self::Dpop(why) => {
                let mut resp = StatusCode::UNAUTHORIZED.into_response();
                let value = format!(
                    "DPoP algs=\"ES256 RS256\", error=\"invalid_dpop_proof\", error_description=\"{why}\""
                );
                if let Ok(v) = HeaderValue::from_str(&value) {
                    resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
                }
                resp
            }
        }
    }
}

impl OAuthState {
    /// The current DPoP nonce.
    pub(super) fn nonce(&mut self) -> String {
        self.dpop_nonce
            .get_or_insert_with(|| ids::base62(22))
            .clone()
    }

    /// Forgets every token and assertion id.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Identifies the caller from the `Authorization` (and `DPoP`) headers.
pub fn authenticate(
    creds: Credentials<'_>,
    config: &EmulatorConfig,
    oauth: &mut OAuthState,
    at: DateTime<Utc>,
) -> Result<Principal, AuthError> {
    let Some(value) = creds.authorization else {
        return Err(AuthError::Api(ApiError::invalid_session()));
    };
    // Okta accepts `SSWS<token>` with no space (Okta's Python SDK sends that) as well as
    // `SSWS <token>`.
    if let Some(token) = value.strip_prefix("SSWS") {
        let token = token.trim();
        return config
            .tokens
            .iter()
            .position(|t| !t.token.is_empty() && t.token == token)
            .map(|index| {
                let t = &config.tokens[index];
                Principal::Ssws {
                    index,
                    read_only: t.read_only,
                    share: t.share.unwrap_or(config.share),
                }
            })
            .ok_or_else(|| AuthError::Api(ApiError::invalid_token()));
    }
    let (scheme_dpop, token) = match (value.strip_prefix("Bearer "), value.strip_prefix("DPoP ")) {
        (Some(t), _) => (false, Some(t.trim())),
        (None, Some(t)) => (true, Some(t.trim())),
        (None, None) => (false, None),
    };
    if let Some(token) = token {
        let issued = oauth
            .tokens
            .get(token)
            .filter(|i| i.expires > at)
            .cloned()
            .ok_or(AuthError::Api(ApiError::invalid_token()))?;
        match (&issued.jkt, scheme_dpop) {
            (None, false) => {}
            (Some(_), false) => return Err(AuthError::Api(ApiError::invalid_token())),
            (None, true) => return Err(AuthError::Dpop("The access token is not DPoP-bound.")),
            (Some(jkt), true) => {
                let expect = dpop::Expect {
                    htm: creds.method,
                    htu: creds.url,
                    nonce: None,
                    access_token: Some(token),
                    bound_jkt: Some(jkt),
                };
                dpop::verify(creds.dpop, expect, &mut oauth.dpop_jti, at).map_err(|e| match e {
                    dpop::ProofError::Invalid(why) => AuthError::Dpop(why),
                    dpop::ProofError::UseNonce => AuthError::Dpop("The DPoP proof nonce is wrong."),
                })?;
            }
        }
        let share = config
            .oauth_clients
            .iter()
            .find(|c| c.client_id == issued.client_id)
            .and_then(|c| c.share)
            .unwrap_or(config.share);
        return Ok(Principal::Bearer {
            dpop: scheme_dpop,
            client_id: issued.client_id.clone(),
            scopes: issued.scopes.clone(),
            share,
        });
    }
    Err(AuthError::Api(ApiError::invalid_session()))
}

#[cfg(test)]
mod tests;
