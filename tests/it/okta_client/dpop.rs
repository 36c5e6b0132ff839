//! DPoP against a small stand-in for an org whose service app requires it (the emulator has
//! no DPoP): the token endpoint first demands a proof, then a nonce; API calls must carry
//! `Authorization: DPoP …` and a proof bound to the token (`ath`) by the same key.

use super::support::*;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hrsync::config::{OAuthConfig, OktaAuth, Secret};
use hrsync::okta::{OktaRead, WriteAccess, check_access};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

const TOKEN: &str = "dpop-bound-token-5e1f";
const NONCE: &str = "server-nonce-1";

#[derive(Clone, Default)]
struct Org {
    base: Arc<Mutex<String>>,
    /// The `x` of the key the first valid proof used; later proofs must use the same key.
    key_x: Arc<Mutex<Option<String>>>,
    token_requests: Arc<Mutex<Vec<&'static str>>>,
    api_ok: Arc<Mutex<u32>>,
}

/// Verifies a DPoP proof; returns its claims.
fn verify(proof: &str, org: &Org) -> Option<Value> {
    let header = jsonwebtoken::decode_header(proof).ok()?;
    if header.typ.as_deref() != Some("dpop+jwt") || header.alg != Algorithm::ES256 {
        return None;
    }
    let jwk = header.jwk?;
    let x = serde_json::to_value(&jwk).ok()?["x"].as_str()?.to_owned();
    let mut known = org.key_x.lock().unwrap();
    if known.as_ref().is_some_and(|k| *k != x) {
        return None;
    }
    *known = Some(x);
    let mut v = Validation::new(Algorithm::ES256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(proof, &DecodingKey::from_jwk(&jwk).ok()?, &v)
        .ok()?
        .claims;
    claims["jti"].as_str()?;
    claims["iat"].as_i64()?;
    Some(claims)
}

fn oauth_error(error: &str, nonce: bool) -> Response {
    let body = json!({"error": error, "error_description": "stand-in"});
    let mut resp = (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    if nonce {
        resp.headers_mut()
            .insert("dpop-nonce", NONCE.parse().unwrap());
    }
    resp
}

async fn token(State(org): State<Org>, headers: HeaderMap) -> Response {
    let Some(proof) = headers.get("dpop").and_then(|v| v.to_str().ok()) else {
        org.token_requests.lock().unwrap().push("no proof");
        return oauth_error("invalid_dpop_proof", false);
    };
    let base = org.base.lock().unwrap().clone();
    let Some(claims) = verify(proof, &org) else {
        return oauth_error("invalid_dpop_proof", false);
    };
    if claims["htm"] != "POST" || claims["htu"] != format!("{base}/oauth2/v1/token") {
        return oauth_error("invalid_dpop_proof", false);
    }
    if claims["nonce"] != NONCE {
        org.token_requests.lock().unwrap().push("no nonce");
        return oauth_error("use_dpop_nonce", true);
    }
    org.token_requests.lock().unwrap().push("issued");
    axum::Json(json!({
        "token_type": "DPoP", "access_token": TOKEN, "expires_in": 3600,
        "scope": "okta.users.read okta.users.manage",
    }))
    .into_response()
}

async fn users(State(org): State<Org>, headers: HeaderMap) -> Response {
    let base = org.base.lock().unwrap().clone();
    let auth_ok = headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("DPoP {TOKEN}"));
    let claims = headers
        .get("dpop")
        .and_then(|v| v.to_str().ok())
        .and_then(|p| verify(p, &org));
    let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(TOKEN.as_bytes()));
    let proof_ok = claims.is_some_and(|c| {
        c["htm"] == "GET" && c["htu"] == format!("{base}/api/v1/users") && c["ath"] == ath.as_str()
    });
    if !(auth_ok && proof_ok) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"errorCode": "E0000011",
            "errorSummary": "Invalid token provided"})),
        )
            .into_response();
    }
    *org.api_ok.lock().unwrap() += 1;
    axum::Json(json!([])).into_response()
}

#[tokio::test]
async fn an_app_that_requires_dpop_gets_bound_tokens_and_a_proof_on_every_call() {
    let org = Org::default();
    let app = Router::new()
        .route("/oauth2/v1/token", post(token))
        .route("/api/v1/users", get(users))
        .with_state(org.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    *org.base.lock().unwrap() = base.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let emu_free = hrsync::config::OktaConfig {
        org_url: base.parse().unwrap(),
        token: None,
        oauth: None,
        auth: OktaAuth::OAuth(OAuthConfig {
            client_id: CLIENT_ID.into(),
            private_key: Secret::new(PRIVATE_KEY),
            key_id: None,
            scopes: vec!["okta.users.read".into(), "okta.users.manage".into()],
        }),
        anchor_attribute: "employeeNumber".into(),
        service_account_login: None,
        max_concurrent_requests: 4,
        rate_limit_share: 0.5,
        request_timeout: std::time::Duration::from_secs(5),
        max_retry_wait: std::time::Duration::from_secs(120),
        max_retry_wait_per_run: std::time::Duration::from_secs(900),
        quarantine_after_failures: 3,
        send_activation_email: false,
        incremental: true,
        incremental_overlap: std::time::Duration::from_secs(300),
        full_pass_every: std::time::Duration::from_secs(86_400),
    };
    let okta = client(&emu_free);

    let users = okta.list_users().await.unwrap();

    assert!(users.is_empty());
    assert!(okta.uses_dpop());
    assert_eq!(okta.tokens_fetched(), 1);
    assert_eq!(
        *org.token_requests.lock().unwrap(),
        vec!["no proof", "no nonce", "issued"]
    );
    assert_eq!(
        *org.api_ok.lock().unwrap(),
        2,
        "both listing passes were accepted"
    );
    let report = check_access(&okta, None).await.unwrap();
    assert!(report.dpop);
    assert_eq!(report.write, WriteAccess::Yes);
}
