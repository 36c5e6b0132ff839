//! DPoP (RFC 9449) proofs for OAuth service apps that require them: an ephemeral P-256 key
//! made when Okta first asks for DPoP, and a signed proof per request (`htm`, `htu`, `iat`,
//! `jti`, the token endpoint's `nonce`, and `ath` for API calls). The private key never leaves
//! this process and is never logged.

use super::error::Error;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::Rng;
use sha2::{Digest, Sha256};
use url::Url;

/// The key pair that binds this client's access tokens.
pub(crate) struct DpopKey {
    key: EncodingKey,
    jwk: Jwk,
}

#[derive(serde::Serialize)]
struct ProofClaims<'a> {
    htm: &'a str,
    htu: String,
    iat: i64,
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ath: Option<String>,
}

impl DpopKey {
    /// A fresh P-256 key pair.
    pub(crate) fn generate() -> Result<Self, Error> {
        let failed = |what: &str| Error::Config(format!("cannot make a DPoP key: {what}"));
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .map_err(|_| failed("key generation failed"))?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
            .map_err(|_| failed("the generated key is unusable"))?;
        // Uncompressed point: 0x04 || x (32 bytes) || y (32 bytes).
        let point = pair.public_key().as_ref();
        let (Some(x), Some(y)) = (point.get(1..33), point.get(33..65)) else {
            return Err(failed("unexpected public key encoding"));
        };
        let jwk: Jwk = serde_json::from_value(serde_json::json!({
            "kty": "EC",
            "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
        }))
        .map_err(|_| failed("cannot describe the public key"))?;
        Ok(Self {
            key: EncodingKey::from_ec_der(pkcs8.as_ref()),
            jwk,
        })
    }

    /// A proof for one request. `htu` is the URL without query and fragment; `access_token`
    /// (API calls only) is hashed into `ath`.
    pub(crate) fn proof(
        &self,
        method: &str,
        url: &Url,
        nonce: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<String, Error> {
        let mut htu = url.clone();
        htu.set_query(None);
        htu.set_fragment(None);
        let mut jti = [0u8; 16];
        rand::rng().fill(&mut jti);
        let claims = ProofClaims {
            htm: method,
            htu: htu.to_string(),
            iat: chrono::Utc::now().timestamp(),
            jti: URL_SAFE_NO_PAD.encode(jti),
            nonce,
            ath: access_token.map(|t| URL_SAFE_NO_PAD.encode(Sha256::digest(t.as_bytes()))),
        };
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some("dpop+jwt".to_owned());
        header.jwk = Some(self.jwk.clone());
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| Error::Config(format!("cannot sign a DPoP proof: {e}")))
    }
}

#[cfg(test)]
mod tests;
