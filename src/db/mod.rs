//! Database connection targets shared by the SQL HR source and the PostgreSQL journal: a
//! `postgres://` or `mysql://` URL (read from a secret reference, since it carries the
//! password) parsed into the engine, the TLS wish and the text to show, plus the bounded,
//! rustls-only connects in [`pg`] and [`mysql`].
//!
//! TLS: `sslmode=disable` (or no `sslmode`) connects in plain text; `sslmode=require`,
//! `verify-ca` or `verify-full` (MySQL spelling `ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY`
//! is accepted too) connect over TLS **and always verify** the server's chain and host name
//! (stricter than libpq's `require`, which would accept any certificate). The trust roots are
//! the system's (PostgreSQL; Mozilla's for MySQL), or only the PEM file named by
//! `sslrootcert=` / `ssl-ca=`. `allow` and `prefer` are refused: they fall back to plain text
//! without saying so.
//!
//! It must not: show a password (every text it produces for people has the user info masked,
//! see [`DbTarget::shown`]), use OpenSSL, or wait without a bound.

pub mod mysql;
pub mod pg;
/// Test support (unit and integration tests): fresh databases on the real servers.
#[doc(hidden)]
pub mod testdb;

use crate::config::Secret;
use crate::config::value::without_userinfo;
use std::path::PathBuf;
use url::Url;

/// The database engines hrsync can read (the SQL source) or write (the journal: PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// PostgreSQL (`postgres://` or `postgresql://`).
    Postgres,
    /// MySQL or MariaDB (`mysql://` or `mariadb://`).
    MySql,
}

impl Engine {
    /// The engine's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Postgres => "PostgreSQL",
            Self::MySql => "MySQL/MariaDB",
        }
    }
}

/// Whether the connection is encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// Plain TCP (no `sslmode`, or `sslmode=disable`).
    Disable,
    /// TLS with the chain and host name verified, against the system's roots or only the
    /// certificates of `ca_file`.
    Verify {
        /// `sslrootcert=` / `ssl-ca=`: a PEM file of trusted certificates.
        ca_file: Option<PathBuf>,
    },
}

/// A parsed database URL. The full URL (with its password) is kept as a [`Secret`]; the
/// TLS parameters are taken out of it, since hrsync, not the driver, handles them.
#[derive(Debug, Clone)]
pub struct DbTarget {
    /// Which driver connects.
    pub engine: Engine,
    /// Encryption and verification.
    pub tls: Tls,
    /// The URL without hrsync's TLS parameters, password included: for the driver only.
    url: Secret,
    /// The URL with the user info masked (`postgres://***@db:5432/hr`), for people.
    shown: String,
    /// The password (if any), so driver messages that might echo it can be scrubbed.
    password: Option<Secret>,
}

/// The TLS parameters hrsync reads itself; every other parameter goes to the driver.
const TLS_MODE_KEYS: &[&str] = &["sslmode", "ssl-mode", "ssl_mode"];
const CA_FILE_KEYS: &[&str] = &["sslrootcert", "ssl-ca", "ssl_ca"];

impl DbTarget {
    /// Parses `text` (a secret's value). The error never contains the password.
    pub fn parse(text: &str) -> Result<DbTarget, String> {
        let shown_input = without_userinfo(text.trim());
        let url = Url::parse(text.trim()).map_err(|e| {
            format!(
                "{shown_input:?} is not a URL ({e}); expected e.g. postgres://user:password@host:5432/db or mysql://user:password@host:3306/db"
            )
        })?;
        let engine = match url.scheme() {
            "postgres" | "postgresql" => Engine::Postgres,
            "mysql" | "mariadb" => Engine::MySql,
            other => {
                return Err(format!(
                    "the URL scheme {other:?} is not a database hrsync reads; expected postgres://, postgresql://, mysql:// or mariadb://"
                ));
            }
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!(
                "{shown_input:?} names no host; expected e.g. {}://user:password@host/db",
                url.scheme()
            ));
        }
        let mut mode: Option<String> = None;
        let mut ca_file: Option<PathBuf> = None;
        let mut rest: Vec<(String, String)> = Vec::new();
        for (key, value) in url.query_pairs() {
            if TLS_MODE_KEYS.contains(&key.as_ref()) {
                mode = Some(value.to_ascii_lowercase().replace('_', "-"));
            } else if CA_FILE_KEYS.contains(&key.as_ref()) {
                ca_file = Some(PathBuf::from(value.as_ref()));
            } else {
                rest.push((key.into_owned(), value.into_owned()));
            }
        }
        let tls = match mode.as_deref() {
            None | Some("disable" | "disabled") => {
                if ca_file.is_some() {
                    return Err(
                        "sslrootcert/ssl-ca is given but TLS is off; add sslmode=verify-full (or remove the CA file)"
                            .to_owned(),
                    );
                }
                Tls::Disable
            }
            Some("require" | "required" | "verify-ca" | "verify-full" | "verify-identity") => {
                Tls::Verify { ca_file }
            }
            Some(m @ ("allow" | "prefer" | "preferred")) => {
                return Err(format!(
                    "sslmode={m} is refused: it falls back to plain text without saying so; use sslmode=verify-full (TLS, certificate and host name checked) or sslmode=disable"
                ));
            }
            Some(other) => {
                return Err(format!(
                    "sslmode={other:?} is not known; expected disable, require, verify-ca or verify-full"
                ));
            }
        };
        let mut driver_url = url.clone();
        if rest.is_empty() {
            driver_url.set_query(None);
        } else {
            driver_url.query_pairs_mut().clear().extend_pairs(&rest);
        }
        if engine == Engine::MySql && driver_url.scheme() == "mariadb" {
            // The driver knows only mysql://; the wire protocol is the same.
            let text = driver_url.as_str().replacen("mariadb://", "mysql://", 1);
            driver_url = Url::parse(&text).map_err(|e| format!("cannot rewrite the URL: {e}"))?;
        }
        let password = url
            .password()
            .map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8()
                    .map_or_else(|_| p.to_owned(), |d| d.into_owned())
            })
            .filter(|p| !p.is_empty())
            .map(Secret::new);
        let shown = without_userinfo(url.as_str());
        Ok(DbTarget {
            engine,
            tls,
            url: Secret::new(driver_url.as_str()),
            shown,
            password,
        })
    }

    /// The URL for people: user info masked, TLS parameters kept.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The URL for the driver (password included). Never log or format it.
    pub(crate) fn driver_url(&self) -> &str {
        self.url.expose()
    }

    /// `message` with the password (and its URL-encoded form) replaced by `***`: drivers
    /// do not echo passwords, but a message is never trusted to be free of one.
    pub fn scrub(&self, message: &str) -> String {
        let mut out = message.to_owned();
        if let Some(p) = &self.password {
            let p = p.expose();
            // A one- or two-character password would mask ordinary letters everywhere.
            if p.chars().count() >= 3 {
                out = out.replace(p, "***");
            }
        }
        // Some drivers repeat the URL they were given.
        out.replace(self.driver_url(), &self.shown)
    }
}

/// The rustls client configuration for [`Tls::Verify`]: the system's roots (through the
/// platform verifier), or only the certificates in `ca_file`.
pub fn rustls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    match ca_file {
        None => {
            use rustls_platform_verifier::BuilderVerifierExt;
            builder
                .with_platform_verifier()
                .map(|b| b.with_no_client_auth())
                .map_err(|e| format!("cannot read the system's trusted certificates: {e}"))
        }
        Some(path) => {
            let shown = path.display();
            let mut roots = rustls::RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("cannot read the CA file {shown}: {e}"))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("the CA file {shown} is not PEM: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("the CA file {shown} holds a bad certificate: {e}"))?;
            }
            if roots.is_empty() {
                return Err(format!("the CA file {shown} holds no certificate"));
            }
            Ok(builder.with_root_certificates(roots).with_no_client_auth())
        }
    }
}

#[cfg(test)]
mod tests;
