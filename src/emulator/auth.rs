//! Authentication and authorisation: `SSWS` API tokens, `Bearer` access tokens issued by the
//! emulated org authorization server (`POST /oauth2/v1/token`, client credentials with a
//! `private_key_jwt` assertion), scope checks and read-only tokens. Never logs a token.

use super::app::App;
use super::config::EmulatorConfig;
use super::dpop;
use super::errors::{ApiError, json_response};
use super::ids;
use super::state::lock;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Scope needed to read users.
pub const SCOPE_READ: &str = "okta.users.read";
/// Scope needed to write users (implies read).
pub const SCOPE_MANAGE: &str = "okta.users.manage";

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

    /// Checks that the principal may make a request of this kind. A Bearer token without the
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
                let ok = has(SCOPE_MANAGE) || (!write && has(SCOPE_READ));
                if ok {
                    return Ok(());
                }
                let needed = if write { SCOPE_MANAGE } else { SCOPE_READ };
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
struct Issued {
    client_id: String,
    scopes: Vec<String>,
    expires: DateTime<Utc>,
    /// Thumbprint of the DPoP key the token is bound to.
    jkt: Option<String>,
}

/// Issued tokens, used client-assertion and DPoP proof ids, and the current DPoP nonce.
#[derive(Debug, Default)]
pub struct OAuthState {
    tokens: HashMap<String, Issued>,
    used_jti: HashSet<String>,
    dpop_jti: dpop::UsedProofs,
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
    fn nonce(&mut self) -> String {
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
    if let Some(token) = value.strip_prefix("SSWS ") {
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

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}

#[derive(Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    exp: i64,
    #[serde(default)]
    jti: Option<String>,
}

#[derive(Deserialize)]
struct Unverified {
    #[serde(default)]
    iss: Option<String>,
}

/// `POST /oauth2/v1/token`: client credentials with a `private_key_jwt` client assertion.
pub async fn token_endpoint(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    if get("grant_type") != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    if get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        || get("client_assertion").is_empty()
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed. Either the client or the client credentials are invalid.",
        );
    }
    let scope = get("scope");
    if scope.trim().is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        );
    }
    let config = app.config();
    let assertion = get("client_assertion");
    let token_url = format!("{}/oauth2/v1/token", app.base_url);
    let claims = match verify_assertion(assertion, &config, &token_url) {
        Ok(c) => c,
        Err(why) => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", why),
    };
    let at = Utc::now();
    if claims.exp > at.timestamp() + 3600 + 60 {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client_assertion token has an expiration too far into the future.",
        );
    }
    let Some(client) = config
        .oauth_clients
        .iter()
        .find(|c| c.client_id == claims.iss)
    else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client.",
        );
    };
    let requested: Vec<String> = scope.split_whitespace().map(str::to_owned).collect();
    let refused: Vec<&str> = requested
        .iter()
        .filter(|s| !client.scopes.contains(s))
        .map(String::as_str)
        .collect();
    if !refused.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!(
                "The following scopes are not allowed: {}",
                refused.join(", ")
            ),
        );
    }
    let mut oauth = lock(&app.oauth);
    let proof = headers.get("dpop").and_then(|v| v.to_str().ok());
    let required = config.dpop_required_clients.contains(&client.client_id);
    let jkt = if required || proof.is_some() {
        let nonce = oauth.nonce();
        let expect = dpop::Expect {
            htm: "POST",
            htu: &token_url,
            nonce: Some(&nonce),
            access_token: None,
            bound_jkt: None,
        };
        match dpop::verify(proof, expect, &mut oauth.dpop_jti, Utc::now()) {
            Ok(jkt) => Some(jkt),
            Err(dpop::ProofError::UseNonce) => {
                let mut resp = oauth_error(
                    StatusCode::BAD_REQUEST,
                    "use_dpop_nonce",
                    "Authorization server requires nonce in DPoP proof.",
                );
                if let Ok(v) = HeaderValue::from_str(&nonce) {
                    resp.headers_mut().insert("dpop-nonce", v);
                }
                return resp;
            }
            Err(dpop::ProofError::Invalid(why)) => {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_dpop_proof", why);
            }
        }
    } else {
        None
    };
    if let Some(jti) = &claims.jti
        && !oauth.used_jti.insert(format!("{}:{jti}", claims.iss))
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client_assertion token has already been used.",
        );
    }
    let lifetime = i64::try_from(config.oauth_token_lifetime_secs).unwrap_or(3600);
    let access = format!("eyJ{}", ids::base62(60));
    oauth.tokens.insert(
        access.clone(),
        Issued {
            client_id: claims.iss.clone(),
            scopes: requested.clone(),
            expires: Duration::try_seconds(lifetime)
                .and_then(|d| at.checked_add_signed(d))
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            jkt: jkt.clone(),
        },
    );
    json_response(
        StatusCode::OK,
        &json!({
            "token_type": if jkt.is_some() { "DPoP" } else { "Bearer" },
            "expires_in": lifetime,
            "access_token": access,
            "scope": requested.join(" "),
        }),
    )
}

fn verify_assertion(
    assertion: &str,
    config: &EmulatorConfig,
    token_url: &str,
) -> Result<AssertionClaims, &'static str> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| "The client_assertion is not a valid JWT.")?;
    let unverified: Unverified = jsonwebtoken::dangerous::insecure_decode_claims(assertion)
        .map_err(|_| "The client_assertion is not a valid JWT.")?;
    let iss = unverified
        .iss
        .ok_or("The client_assertion has no 'iss' claim.")?;
    let client = config
        .oauth_clients
        .iter()
        .find(|c| c.client_id == iss)
        .ok_or("Client authentication failed. Either the client or the client credentials are invalid.")?;
    let pem = client.public_key_pem.as_bytes();
    let key = match header.alg {
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => DecodingKey::from_rsa_pem(pem),
        Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(pem),
        _ => return Err("The client_assertion signature algorithm is not supported."),
    }
    .map_err(|_| "The client's registered key cannot verify this assertion.")?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[token_url]);
    validation.set_issuer(&[iss.as_str()]);
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    validation.leeway = 5;
    let data = jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation)
        .map_err(|_| "The client_assertion signature, audience, issuer or expiry is invalid.")?;
    if data.claims.sub != data.claims.iss {
        return Err("The client_assertion 'sub' claim must equal the client id.");
    }
    Ok(data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_scoped_bearer_gets_insufficient_scope_for_a_write() {
        let p = Principal::Bearer {
            dpop: false,
            client_id: "c".into(),
            scopes: vec![SCOPE_READ.into()],
            share: 0.5,
        };
        assert!(p.authorize(false, "http://x", "/api/v1/users").is_ok());
        let resp = p.authorize(true, "http://x", "/api/v1/users").unwrap_err();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let h = resp.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert!(h.contains("error=\"insufficient_scope\""));
        assert!(h.contains("scope=\"okta.users.manage\""));
    }

    #[test]
    fn an_unknown_ssws_token_is_401_and_a_missing_header_403() {
        let cfg = EmulatorConfig::with_token("t");
        let mut st = OAuthState::default();
        let at = Utc::now();
        let creds = |a| Credentials {
            authorization: a,
            dpop: None,
            method: "GET",
            url: "http://x/api/v1/users",
        };
        let code = |r: Result<Principal, AuthError>| match r {
            Err(AuthError::Api(e)) => e.code,
            _ => "other",
        };
        assert_eq!(
            code(authenticate(creds(Some("SSWS nope")), &cfg, &mut st, at)),
            "E0000011"
        );
        assert_eq!(
            code(authenticate(creds(None), &cfg, &mut st, at)),
            "E0000005"
        );
        assert!(authenticate(creds(Some("SSWS t")), &cfg, &mut st, at).is_ok());
    }
}
