//! The checks across keys that serde cannot make while a section deserializes, every mistake
//! recorded (the [`Checker`] keeps going after an error so that all are reported): `[okta]`
//! present with exactly one of `token` and `oauth`, whose secret is read here; `[employee]`
//! and `[mapping]` validated from their raw form (`people.rs`).
//!
//! Reads only secrets (env, files, credentials). Never puts a secret's value in a message.

use super::error::ConfigError;
use super::load::LoadContext;
use super::okta::WrittenCredentials;
use super::secret::{Secret, SecretRef};
use super::types::*;
use std::ops::Range;
use toml::Spanned;

/// Walks the raw sections, collecting errors.
pub struct Checker<'a> {
    pub(super) ctx: &'a LoadContext<'a>,
    errors: Vec<ConfigError>,
    pub(super) failed: &'a [&'static str],
}

impl<'a> Checker<'a> {
    /// A checker with no errors yet.
    /// `failed` names sections that did not deserialize: they are not reported as missing.
    pub fn new(ctx: &'a LoadContext<'a>, failed: &'a [&'static str]) -> Self {
        Self {
            ctx,
            errors: Vec::new(),
            failed,
        }
    }

    /// The errors found.
    pub fn into_errors(self) -> Vec<ConfigError> {
        self.errors
    }

    /// Records an error.
    pub(super) fn err(&mut self, span: Option<Range<usize>>, key: &str, message: String) {
        self.errors.push(self.ctx.src.error_at(span, key, message));
    }

    /// An IANA zone; UTC when absent.
    pub(super) fn zone(&mut self, v: Option<&Spanned<String>>, key: &str) -> Option<chrono_tz::Tz> {
        let Some(v) = v else {
            return Some(chrono_tz::UTC);
        };
        match super::value::parse_zone(v.get_ref()) {
            Ok(tz) => Some(tz),
            Err(msg) => {
                self.err(Some(v.span()), key, msg);
                None
            }
        }
    }

    /// Reads a secret from its reference; an error at the reference's position.
    pub(super) fn secret(&mut self, r: &SecretRef, at: &Range<usize>, key: &str) -> Option<Secret> {
        match r.resolve(&*self.ctx.env) {
            Ok(s) => Some(s),
            Err(e) => {
                self.err(Some(at.clone()), key, e.to_string());
                None
            }
        }
    }

    /// `[okta]`: the section must be there, with exactly one of `token` and `oauth`, whose
    /// secret is read here (the rest was checked while it deserialized). The credentials are
    /// read as written even when other keys are wrong, so that all mistakes show at once.
    pub fn okta(
        &mut self,
        okta: Option<&OktaConfig>,
        written: &WrittenCredentials,
    ) -> Option<OktaConfig> {
        if okta.is_none() && !self.failed.contains(&"okta") {
            self.err(
                None,
                "okta",
                "missing section [okta]; it needs org_url and token (or oauth)".into(),
            );
            return None;
        }
        let auth = match (&written.token, &written.oauth) {
            (Some((span, Some(t))), None) => self.secret(t, span, "okta.token").map(OktaAuth::Ssws),
            (None, Some((_, Some(o)))) => {
                let key = &o.private_key;
                let secret = self.secret(key.get_ref(), &key.span(), "okta.oauth.private_key");
                secret.map(|k| OktaAuth::OAuth(o.clone().with_key(k)))
            }
            (Some(_), Some((span, _))) => {
                let msg = "give either token or oauth, not both";
                self.err(Some(span.clone()), "okta.oauth", msg.into());
                None
            }
            (None, None) if okta.is_some() => {
                let msg = "no credentials; set token = { env = \"OKTA_API_TOKEN\" } (or file/credential), or oauth = { ... }";
                self.err(Some(written.section.clone()), "okta", msg.into());
                None
            }
            // Mis-typed, already reported.
            _ => None,
        };
        let mut okta = okta?.clone();
        okta.auth = auth?;
        Some(okta)
    }
}
