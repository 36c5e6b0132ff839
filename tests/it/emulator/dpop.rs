//! DPoP: the `invalid_dpop_proof` / `use_dpop_nonce` round trip at the token endpoint and
//! proof-bound access tokens on the Users API.

use super::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hrsync::emulator::{EmulatorConfig, OAuthClient};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const CLIENT_KEY: &str = include_str!("../../fixtures/oauth-test-key.pem");
const CLIENT_PUBLIC: &str = include_str!("../../fixtures/oauth-test-key.pub.pem");
const DPOP_KEY: &str = include_str!("../../fixtures/dpop-test-key.pem");

fn config() -> EmulatorConfig {
    let mut cfg = EmulatorConfig::default().oauth_client(OAuthClient {
        client_id: "0oaDpop".into(),
        public_key_pem: CLIENT_PUBLIC.into(),
        scopes: vec!["okta.users.manage".into()],
        share: None,
    });
    cfg.dpop_required_clients = vec!["0oaDpop".into()];
    cfg
}

fn assertion(env: &Env, jti: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"iss": "0oaDpop", "sub": "0oaDpop", "aud": format!("{}/oauth2/v1/token", env.emu.base_url()), "exp": now + 300, "jti": jti});
    jsonwebtoken::encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_pem(CLIENT_KEY.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn proof(htm: &str, htu: &str, nonce: Option<&str>, token: Option<&str>, jti: &str) -> String {
    let key = EncodingKey::from_ec_pem(DPOP_KEY.as_bytes()).unwrap();
    let mut header = Header::new(Algorithm::ES256);
    header.typ = Some("dpop+jwt".into());
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
    jwk.common.key_algorithm = None;
    header.jwk = Some(jwk);
    let mut claims =
        json!({"htm": htm, "htu": htu, "iat": chrono::Utc::now().timestamp(), "jti": jti});
    if let Some(n) = nonce {
        claims["nonce"] = json!(n);
    }
    if let Some(t) = token {
        claims["ath"] = json!(URL_SAFE_NO_PAD.encode(Sha256::digest(t.as_bytes())));
    }
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

async fn token_request(env: &Env, jti: &str, dpop: Option<String>) -> reqwest::Response {
    let a = assertion(env, jti);
    let mut req = env
        .http
        .post(format!("{}/oauth2/v1/token", env.emu.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "okta.users.manage"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", a.as_str()),
        ]);
    if let Some(p) = dpop {
        req = req.header("DPoP", p);
    }
    req.send().await.unwrap()
}

async fn dpop_token(env: &Env) -> String {
    let token_url = format!("{}/oauth2/v1/token", env.emu.base_url());
    let r = token_request(env, "a1", None).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "invalid_dpop_proof"
    );
    let r = token_request(env, "a2", Some(proof("POST", &token_url, None, None, "p1"))).await;
    assert_eq!(r.status(), 400);
    let nonce = r.headers()["dpop-nonce"].to_str().unwrap().to_owned();
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "use_dpop_nonce");
    let r = token_request(
        env,
        "a3",
        Some(proof("POST", &token_url, Some(&nonce), None, "p2")),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "DPoP");
    v["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_dpop_app_gets_a_bound_token_after_the_nonce_round_trip() {
    let env = start_with(config()).await;
    let token = dpop_token(&env).await;
    let url = format!("{}/api/v1/users", env.emu.base_url());
    let p = proof("GET", &url, None, Some(&token), "r1");
    let r = env
        .http
        .get(format!("{url}?limit=5"))
        .header("Authorization", format!("DPoP {token}"))
        .header("DPoP", &p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = env
        .http
        .post(&url)
        .header("Authorization", format!("DPoP {token}"))
        .header("DPoP", proof("POST", &url, None, Some(&token), "r2"))
        .json(&profile("dpop@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // A replayed proof, a proof for another URL, a wrong ath, or the Bearer scheme are refused.
    let r = env
        .http
        .get(&url)
        .header("Authorization", format!("DPoP {token}"))
        .header("DPoP", &p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_dpop_proof")
    );
    let other = proof("GET", &format!("{url}/x"), None, Some(&token), "r3");
    let r = env
        .http
        .get(&url)
        .header("Authorization", format!("DPoP {token}"))
        .header("DPoP", other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let wrong_ath = proof("GET", &url, None, Some("other-token"), "r4");
    let r = env
        .http
        .get(&url)
        .header("Authorization", format!("DPoP {token}"))
        .header("DPoP", wrong_ath)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = env.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(error_code(r, 401).await, "E0000011");
}
