//! Okta-shaped random identifiers: user ids (`00u` + 17 base62), error ids (`oae` + 22),
//! request ids, OAuth access tokens and activation tokens. No state, no I/O.

use rand::Rng;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random base62 characters.
pub fn base62(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| {
            let i = rng.random_range(0..BASE62.len());
            char::from(BASE62[i])
        })
        .collect()
}

/// A new user id: `00u` followed by 17 base62 characters (20 in all).
pub fn user_id() -> String {
    format!("00u{}", base62(17))
}

/// A new error id: `oae` followed by 22 base62 characters.
pub fn error_id() -> String {
    format!("oae{}", base62(22))
}

/// A new `X-Okta-Request-Id` value.
pub fn request_id() -> String {
    base62(27)
}

/// The user type id every emulated user has (`oty…`).
pub const USER_TYPE_ID: &str = "oty1emulat0rDefau1t0";

#[cfg(test)]
mod tests;
