//! Who may read the console and who may approve: the read token (`Authorization: Bearer`, or
//! typed into the sign-in form, which sets a session cookie), a reverse proxy's user header,
//! the admin token an approval form carries, its CSRF token, and the same-origin check.
//!
//! The session cookie holds a random nonce and an HMAC over it and the read token under a key
//! made for this process: never the token, and it stops working when the process restarts or
//! the token changes. Every comparison of a presented secret is in constant time (HMAC tags
//! compared by `Mac::verify_slice`). Nothing here logs, formats or returns a token.

use crate::config::{Secret, ServerConfig};
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The session cookie's name.
pub const COOKIE: &str = "hrsync_console";

/// Who is reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// Signed in with the read (or admin) token: a cookie session with this nonce.
    Session(String),
    /// `Authorization: Bearer` with the read or admin token.
    Bearer,
    /// Signed in at the reverse proxy as this user.
    Proxy(String),
}

/// The console's access settings and this process's key.
pub struct Access {
    reader: Option<Secret>,
    admin: Option<Secret>,
    user_header: Option<String>,
    /// HMAC-SHA-256 keyed with 32 random bytes made at start (cloned per use).
    keyed: HmacSha256,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("reader_token", &self.reader.is_some())
            .field("admin_token", &self.admin.is_some())
            .field("user_header", &self.user_header)
            .finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

impl Access {
    /// The settings of `[server]`; `None` when the console is off.
    pub fn from_config(server: &ServerConfig) -> Option<Self> {
        if !server.console {
            return None;
        }
        // HMAC takes a key of any length: this cannot fail.
        let keyed = HmacSha256::new_from_slice(&rand::random::<[u8; 32]>()).ok()?;
        Some(Self {
            reader: server.console_token.clone(),
            admin: server.console_admin_token.clone(),
            user_header: server.console_user_header.clone(),
            keyed,
        })
    }

    /// Whether the sign-in form can sign anyone in (a read token is configured).
    pub fn has_token(&self) -> bool {
        self.reader.is_some()
    }

    /// Whether approvals are possible (an admin token is configured).
    pub fn can_approve(&self) -> bool {
        self.admin.is_some()
    }

    /// Who is reading, if anyone may: a valid bearer token, session cookie or proxy header.
    pub fn reader(&self, headers: &HeaderMap) -> Option<Reader> {
        if let Some(token) = bearer(headers) {
            return self.grants_read(token).then_some(Reader::Bearer);
        }
        if let Some(value) = cookie(headers, COOKIE)
            && let Some(nonce) = self.verify_session(value)
        {
            return Some(Reader::Session(nonce));
        }
        let name = self.user_header.as_ref()?;
        let user = headers.get(name.as_str())?.to_str().ok()?.trim();
        (!user.is_empty() && user.len() <= 256).then(|| Reader::Proxy(user.to_owned()))
    }

    /// The session cookie's value for a sign-in with `token`, if it is the read or the
    /// admin token.
    pub fn sign_in(&self, token: &str) -> Option<String> {
        if !self.grants_read(token) {
            return None;
        }
        let nonce = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>());
        let tag = self.session_tag(&nonce)?;
        Some(format!("{nonce}.{}", URL_SAFE_NO_PAD.encode(tag)))
    }

    /// Whether `token` is the admin token.
    pub fn is_admin(&self, token: &str) -> bool {
        self.admin
            .as_ref()
            .is_some_and(|admin| self.equal(token, admin))
    }

    /// The CSRF token the forms of this reader carry: an HMAC over the session (or the
    /// proxy's user), so a page of one session is refused in another.
    pub fn csrf_token(&self, reader: &Reader) -> String {
        let subject = match reader {
            Reader::Session(nonce) => format!("session:{nonce}"),
            Reader::Bearer => "bearer".to_owned(),
            Reader::Proxy(user) => format!("proxy:{user}"),
        };
        URL_SAFE_NO_PAD.encode(self.tag(b"csrf", subject.as_bytes()))
    }

    /// Whether `presented` is this reader's CSRF token (constant time).
    pub fn csrf_ok(&self, reader: &Reader, presented: &str) -> bool {
        let expected = self.csrf_token(reader);
        self.equal_text(presented, &expected)
    }

    /// A session cookie's nonce, if its tag is right.
    fn verify_session(&self, value: &str) -> Option<String> {
        let (nonce, tag) = value.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        let reader = self.reader.as_ref()?;
        let mut mac = self.mac(b"session");
        mac.update(nonce.as_bytes());
        mac.update(b"\0");
        mac.update(reader.expose().as_bytes());
        mac.verify_slice(&tag).ok()?;
        Some(nonce.to_owned())
    }

    fn session_tag(&self, nonce: &str) -> Option<Vec<u8>> {
        let reader = self.reader.as_ref()?;
        let mut mac = self.mac(b"session");
        mac.update(nonce.as_bytes());
        mac.update(b"\0");
        mac.update(reader.expose().as_bytes());
        Some(mac.finalize().into_bytes().to_vec())
    }

    fn grants_read(&self, token: &str) -> bool {
        self.reader.as_ref().is_some_and(|r| self.equal(token, r)) || self.is_admin(token)
    }

    /// `presented == secret`, in constant time.
    fn equal(&self, presented: &str, secret: &Secret) -> bool {
        self.equal_text(presented, secret.expose())
    }

    fn equal_text(&self, presented: &str, expected: &str) -> bool {
        let want = self.tag(b"compare", expected.as_bytes());
        let mut mac = self.mac(b"compare");
        mac.update(presented.as_bytes());
        mac.verify_slice(&want).is_ok()
    }

    fn tag(&self, purpose: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = self.mac(purpose);
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// An HMAC under this process's key, separated by `purpose`.
    fn mac(&self, purpose: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(purpose);
        mac.update(b"\0");
        mac
    }
}

/// The `Set-Cookie` value of a session (`Secure` when the request came over HTTPS, as a
/// reverse proxy says with `X-Forwarded-Proto`).
pub fn session_cookie(value: &str, headers: &HeaderMap) -> String {
    let secure = if forwarded_https(headers) {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={value}; Path=/console; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that ends a session.
pub fn cleared_cookie() -> String {
    format!("{COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0")
}

fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// Whether a state-changing request comes from the console's own pages: its `Origin` names
/// this host, or (when the browser sends `Origin: null`, as it does for a form posted from a
/// page served with `Referrer-Policy: no-referrer`, or none at all) its `Sec-Fetch-Site` says
/// `same-origin`. A request with neither header (not a browser) passes here; the CSRF token
/// and the cookie's `SameSite=Strict` still apply.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_site = text("sec-fetch-site");
    match text("origin") {
        Some("null") => fetch_site == Some("same-origin"),
        Some(origin) => {
            let Some(host) = text("host") else {
                return false;
            };
            let named = origin == format!("http://{host}") || origin == format!("https://{host}");
            named && fetch_site.is_none_or(|site| site == "same-origin")
        }
        None => fetch_site.is_none_or(|site| site == "same-origin"),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests;
