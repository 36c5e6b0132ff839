use super::*;
use jsonwebtoken::{DecodingKey, Validation};

#[test]
fn a_proof_verifies_with_its_own_embedded_key_and_binds_the_token() {
    let key = DpopKey::generate().unwrap();
    let url = Url::parse("https://x.okta.com/api/v1/users?limit=200").unwrap();
    let proof = key.proof("GET", &url, None, Some("tok")).unwrap();

    let header = jsonwebtoken::decode_header(&proof).unwrap();
    assert_eq!(header.typ.as_deref(), Some("dpop+jwt"));
    assert_eq!(header.alg, Algorithm::ES256);
    let jwk = header.jwk.unwrap();
    let mut v = Validation::new(Algorithm::ES256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    let claims = jsonwebtoken::decode::<serde_json::Value>(
        &proof,
        &DecodingKey::from_jwk(&jwk).unwrap(),
        &v,
    )
    .unwrap()
    .claims;
    assert_eq!(claims["htm"], "GET");
    assert_eq!(claims["htu"], "https://x.okta.com/api/v1/users");
    assert_eq!(
        claims["ath"],
        URL_SAFE_NO_PAD.encode(Sha256::digest(b"tok")).as_str()
    );
    assert!(claims.get("nonce").is_none());
    let again = key.proof("GET", &url, Some("n-1"), None).unwrap();
    let c2 = jsonwebtoken::decode::<serde_json::Value>(
        &again,
        &DecodingKey::from_jwk(&jwk).unwrap(),
        &v,
    )
    .unwrap()
    .claims;
    assert_eq!(c2["nonce"], "n-1");
    assert_ne!(c2["jti"], claims["jti"], "every proof has its own jti");
}
