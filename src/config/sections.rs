//! Validation of each config section: raw values → typed values, defaults applied, every
//! mistake recorded (the [`Checker`] keeps going after an error so that all are reported).
//!
//! Reads only secrets (env, files, credentials). Never puts a secret's value in a message.

use super::error::ConfigError;
use super::load::LoadContext;
use super::raw::*;
use super::secret::{Secret, SecretRef};
use super::types::*;
use crate::model::Email;
use std::ops::{Range, RangeInclusive};
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// Default `okta.rate_limit_share`: all of the allowance Okta reports to this token
/// (`X-Rate-Limit-Limit`), which Okta itself already caps at 50 % of the org's bucket by
/// default; the pacing spreads the requests over the window so the run never bursts into 429s.
const DEFAULT_RATE_LIMIT_SHARE: f64 = 1.0;
use super::value::checked_url;
use url::Url;

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

    /// Resolves a path against the config file's folder.
    pub(super) fn path(&self, p: &str) -> PathBuf {
        self.ctx.base_dir.join(p)
    }

    /// An integer in range, or the default when absent.
    pub(super) fn int(
        &mut self,
        v: Option<&Spanned<i64>>,
        key: &str,
        default: i64,
        ok: RangeInclusive<i64>,
    ) -> i64 {
        let Some(v) = v else { return default };
        if ok.contains(v.get_ref()) {
            *v.get_ref()
        } else {
            let msg = format!(
                "{} is out of range; expected {} to {}",
                v.get_ref(),
                ok.start(),
                ok.end()
            );
            self.err(Some(v.span()), key, msg);
            default
        }
    }

    /// A number in range, or the default when absent.
    pub(super) fn float(
        &mut self,
        v: Option<&Spanned<f64>>,
        key: &str,
        default: f64,
        lo: f64,
        hi: f64,
        lo_open: bool,
    ) -> f64 {
        let Some(v) = v else { return default };
        let x = *v.get_ref();
        let ok = if lo_open {
            x > lo && x <= hi
        } else {
            x >= lo && x <= hi
        };
        if ok {
            x
        } else {
            let open = if lo_open { "more than" } else { "from" };
            let msg = format!("{x} is out of range; expected a number {open} {lo} up to {hi}");
            self.err(Some(v.span()), key, msg);
            default
        }
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

    /// Resolves a secret reference (exactly one of env, file, credential).
    pub(super) fn secret(&mut self, v: &Spanned<RawSecret>, key: &str) -> Option<Secret> {
        let raw = v.get_ref();
        let r = match (&raw.env, &raw.file, &raw.credential) {
            (Some(name), None, None) => SecretRef::Env(name.clone()),
            (None, Some(file), None) => SecretRef::File(self.path(file)),
            (None, None, Some(name)) => SecretRef::Credential(name.clone()),
            _ => {
                let msg = "give exactly one of env, file or credential, e.g. { env = \"OKTA_API_TOKEN\" }";
                self.err(Some(v.span()), key, msg.to_owned());
                return None;
            }
        };
        match r.resolve(&*self.ctx.env) {
            Ok(s) => Some(s),
            Err(e) => {
                self.err(Some(v.span()), key, e.to_string());
                None
            }
        }
    }

    /// An https URL, or http on a loopback host (see [`checked_url`]).
    pub(super) fn url(&mut self, v: &Spanned<String>, key: &str) -> Option<Url> {
        match checked_url(v.get_ref()) {
            Ok(url) => Some(url),
            Err(msg) => {
                self.err(Some(v.span()), key, msg);
                None
            }
        }
    }

    /// `[okta]`.
    pub fn okta(&mut self, raw: Option<&RawOkta>) -> Option<OktaConfig> {
        let Some(raw) = raw else {
            if self.failed.contains(&"okta") {
                return None;
            }
            self.err(
                None,
                "okta",
                "missing section [okta]; it needs org_url and token (or oauth)".into(),
            );
            return None;
        };
        let org_url = self.url(&raw.org_url, "okta.org_url");
        let auth = match (&raw.token, &raw.oauth) {
            (Some(t), None) => self.secret(t, "okta.token").map(OktaAuth::Ssws),
            (None, Some(o)) => self.oauth(o),
            (Some(_), Some(o)) => {
                self.err(
                    Some(o.span()),
                    "okta.oauth",
                    "give either token or oauth, not both".into(),
                );
                None
            }
            (None, None) => {
                let msg = "no credentials; set token = { env = \"OKTA_API_TOKEN\" } (or file/credential), or oauth = { ... }";
                self.err(Some(raw.org_url.span()), "okta", msg.into());
                None
            }
        };
        let anchor_attribute = match &raw.anchor_attribute {
            None => "employeeNumber".to_owned(),
            Some(a) if is_attribute_name(a.get_ref()) => a.get_ref().clone(),
            Some(a) => {
                let msg = format!(
                    "{:?} is not an Okta attribute name; expected letters, digits and _",
                    a.get_ref()
                );
                self.err(Some(a.span()), "okta.anchor_attribute", msg);
                String::new()
            }
        };
        let service_account_login = match &raw.service_account_login {
            None => None,
            Some(l) => match Email::parse(l.get_ref()) {
                Ok(e) => Some(e.as_str().to_owned()),
                Err(e) => {
                    self.err(
                        Some(l.span()),
                        "okta.service_account_login",
                        format!("login {e}"),
                    );
                    None
                }
            },
        };
        let max_concurrent_requests = self.int(
            raw.max_concurrent_requests.as_ref(),
            "okta.max_concurrent_requests",
            8,
            1..=64,
        );
        let rate_limit_share = self.float(
            raw.rate_limit_share.as_ref(),
            "okta.rate_limit_share",
            DEFAULT_RATE_LIMIT_SHARE,
            0.0,
            1.0,
            true,
        );
        let timeout = self.int(
            raw.request_timeout_seconds.as_ref(),
            "okta.request_timeout_seconds",
            30,
            1..=600,
        );
        let max_retry_wait = self.int(
            raw.max_retry_wait_seconds.as_ref(),
            "okta.max_retry_wait_seconds",
            120,
            1..=3600,
        );
        let retry_per_run = self.int(
            raw.max_retry_wait_per_run_seconds.as_ref(),
            "okta.max_retry_wait_per_run_seconds",
            900,
            1..=86_400,
        );
        let quarantine_after = self.int(
            raw.quarantine_after_failures.as_ref(),
            "okta.quarantine_after_failures",
            i64::from(crate::plan::quarantine::DEFAULT_QUARANTINE_AFTER),
            0..=100,
        );
        Some(OktaConfig {
            org_url: org_url?,
            auth: auth?,
            anchor_attribute,
            service_account_login,
            max_concurrent_requests: usize::try_from(max_concurrent_requests).unwrap_or(8),
            rate_limit_share,
            request_timeout: secs(timeout),
            max_retry_wait: secs(max_retry_wait),
            max_retry_wait_per_run: secs(retry_per_run),
            quarantine_after_failures: u32::try_from(quarantine_after)
                .unwrap_or(crate::plan::quarantine::DEFAULT_QUARANTINE_AFTER),
            send_activation_email: raw.send_activation_email.unwrap_or(false),
            incremental: raw.incremental.unwrap_or(true),
            incremental_overlap: raw.incremental_overlap_seconds,
            full_pass_every: raw.full_pass_every,
        })
    }

    fn oauth(&mut self, o: &Spanned<RawOAuth>) -> Option<OktaAuth> {
        let raw = o.get_ref();
        if raw.client_id.get_ref().trim().is_empty() {
            self.err(
                Some(raw.client_id.span()),
                "okta.oauth.client_id",
                "is empty".into(),
            );
        }
        let key = self.secret(&raw.private_key, "okta.oauth.private_key")?;
        Some(OktaAuth::OAuth(OAuthConfig {
            client_id: raw.client_id.get_ref().trim().to_owned(),
            private_key: key,
            key_id: raw.key_id.clone(),
            scopes: raw
                .scopes
                .clone()
                .unwrap_or_else(|| vec!["okta.users.read".into(), "okta.users.manage".into()]),
        }))
    }
}

/// Letters, digits and `_`, starting with a letter (Okta's attribute names).
pub(super) fn is_attribute_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Seconds as a duration (negative values were refused earlier).
pub(super) fn secs(n: i64) -> Duration {
    Duration::from_secs(u64::try_from(n).unwrap_or(0))
}
