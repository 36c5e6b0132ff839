//! DPoP (RFC 9449) as Okta's org authorization server and resource server apply it: proof
//! JWTs (`typ: dpop+jwt`, an embedded public `jwk`, `htm`, `htu`, `iat`, single-use `jti`),
//! the `use_dpop_nonce` round trip at the token endpoint, and on API calls the `ath` hash of
//! the access token plus the key thumbprint the token is bound to. Verification only.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::ThumbprintHash;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How far a proof's `iat` may be from now, in seconds.
const MAX_SKEW_SECS: i64 = 300;

/// Above this many remembered proof ids, ids whose proofs have aged out are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// Proof ids already used, with their `iat`: a proof older than the allowed skew is refused
/// anyway, so its id need not be remembered for ever.
#[derive(Debug, Default)]
pub struct UsedProofs(HashMap<String, i64>);

impl UsedProofs {
    /// Records `jti`; false if it was used before.
    fn insert(&mut self, jti: String, iat: i64, now: i64) -> bool {
        if self.0.len() > PRUNE_ABOVE {
            self.0.retain(|_, t| (now - *t).abs() <= MAX_SKEW_SECS);
        }
        match self.0.entry(jti) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(iat);
                true
            }
        }
    }
}

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The proof is missing, malformed, badly signed or does not match the request.
    Invalid(&'static str),
    /// The proof is fine but lacks the server's current nonce (token endpoint only).
    UseNonce,
}

#[derive(Deserialize)]
struct ProofClaims {
    htm: String,
    htu: String,
    iat: i64,
    jti: String,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    ath: Option<String>,
}

/// What a proof must match.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The request method.
    pub htm: &'a str,
    /// The request URL without query or fragment.
    pub htu: &'a str,
    /// The nonce the proof must carry (token endpoint), if any.
    pub nonce: Option<&'a str>,
    /// The access token whose hash must be in `ath` (API calls), if any.
    pub access_token: Option<&'a str>,
    /// The key thumbprint the access token is bound to (API calls), if any.
    pub bound_jkt: Option<&'a str>,
}

/// `base64url(SHA-256(access token))`, the `ath` claim.
pub fn ath(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.as_bytes()))
}

/// Verifies a proof; returns the thumbprint (`jkt`) of its key.
pub fn verify(
    proof: Option<&str>,
    expect: Expect<'_>,
    used_jti: &mut UsedProofs,
    at: DateTime<Utc>,
) -> Result<String, ProofError> {
    let proof = proof.ok_or(ProofError::Invalid("The DPoP proof JWT header is missing."))?;
    let header = jsonwebtoken::decode_header(proof)
        .map_err(|_| ProofError::Invalid("The DPoP proof JWT is malformed."))?;
    if header.typ.as_deref() != Some("dpop+jwt") {
        return Err(ProofError::Invalid(
            "The DPoP proof JWT 'typ' must be 'dpop+jwt'.",
        ));
    }
    if !matches!(
        header.alg,
        Algorithm::ES256
            | Algorithm::ES384
            | Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
    ) {
        return Err(ProofError::Invalid(
            "The DPoP proof JWT algorithm is not supported.",
        ));
    }
    let jwk = header.jwk.ok_or(ProofError::Invalid(
        "The DPoP proof JWT has no 'jwk' header.",
    ))?;
    let key = DecodingKey::from_jwk(&jwk)
        .map_err(|_| ProofError::Invalid("The DPoP proof 'jwk' is not a usable public key."))?;
    let mut validation = Validation::new(header.alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<ProofClaims>(proof, &key, &validation)
        .map_err(|_| ProofError::Invalid("The DPoP proof JWT signature or claims are invalid."))?
        .claims;
    if !claims.htm.eq_ignore_ascii_case(expect.htm) || claims.htu != expect.htu {
        return Err(ProofError::Invalid(
            "The DPoP proof 'htm' or 'htu' does not match the request.",
        ));
    }
    if (claims.iat - at.timestamp()).abs() > MAX_SKEW_SECS {
        return Err(ProofError::Invalid(
            "The DPoP proof 'iat' is too far from the current time.",
        ));
    }
    let jkt = jwk
        .thumbprint(ThumbprintHash::SHA256)
        .map_err(|_| ProofError::Invalid("The DPoP proof 'jwk' has no thumbprint."))?;
    if let Some(token) = expect.access_token
        && claims.ath.as_deref() != Some(ath(token).as_str())
    {
        return Err(ProofError::Invalid(
            "The DPoP proof 'ath' does not match the access token.",
        ));
    }
    if let Some(bound) = expect.bound_jkt
        && bound != jkt
    {
        return Err(ProofError::Invalid(
            "The DPoP proof key is not the key the token is bound to.",
        ));
    }
    if let Some(nonce) = expect.nonce
        && claims.nonce.as_deref() != Some(nonce)
    {
        return Err(ProofError::UseNonce);
    }
    if !used_jti.insert(claims.jti, claims.iat, at.timestamp()) {
        return Err(ProofError::Invalid(
            "The DPoP proof 'jti' has already been used.",
        ));
    }
    Ok(jkt)
}

#[cfg(test)]
mod tests;
