//! The emulated org authorization server: `POST /oauth2/v1/token` with the client-credentials
//! grant and a `private_key_jwt` client assertion (RS256/384/512, ES256/384; `iss` = `sub` =
//! client id, `aud` = the token URL, `exp` at most an hour ahead, single-use `jti`), granted
//! scopes only, and DPoP binding when the app requires it or a proof is sent.

use super::app::App;
use super::auth::Issued;
use super::config::EmulatorConfig;
use super::dpop;
use super::errors::json_response;
use super::ids;
use super::state::lock;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

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
