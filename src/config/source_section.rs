//! Validation of `[source]`: the file source (path, format, delimiter) or HiBob (base URL,
//! service user secrets, fields, named lists, webhook secret and minimum interval, request
//! timeout); keys of the other type are refused.
//!
//! Resolves secrets through the [`Checker`]; does no network I/O.

use super::raw::{RawFileFormat, RawSecret, RawSource, RawSourceKind};
use super::sections::{Checker, secs};
use super::types::*;
use std::ops::Range;
use toml::Spanned;
use url::Url;

/// Default HiBob API base.
pub const HIBOB_DEFAULT_BASE_URL: &str = "https://api.hibob.com/v1";

/// Default `[source] request_timeout_seconds` for HiBob: bob answers the search for everyone
/// in one response, which takes a while for a large company.
pub const HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS: i64 = 120;

/// Default `[source] webhook_min_interval_seconds`: a burst or a replay of bob webhooks makes
/// at most one run per 30 s.
pub const HIBOB_DEFAULT_WEBHOOK_MIN_INTERVAL_SECONDS: i64 = 30;

/// Default `[source] max_response_bytes` for HiBob: 1 GiB, several times what bob sends for a
/// company of 100,000.
pub const HIBOB_DEFAULT_MAX_RESPONSE_BYTES: i64 = 1 << 30;

impl Checker<'_> {
    /// `[source]`.
    pub fn source(&mut self, raw: Option<&RawSource>) -> Option<SourceConfig> {
        let Some(raw) = raw else {
            if self.failed.contains(&"source") {
                return None;
            }
            let msg = "missing section [source]; e.g. type = \"file\", path = \"employees.csv\"";
            self.err(None, "source", msg.into());
            return None;
        };
        let kind = *raw.kind.get_ref();
        let foreign: Vec<(&str, Option<Range<usize>>)> = match kind {
            RawSourceKind::File => vec![
                ("base_url", raw.base_url.as_ref().map(Spanned::span)),
                (
                    "service_user_id",
                    raw.service_user_id.as_ref().map(Spanned::span),
                ),
                ("token", raw.token.as_ref().map(Spanned::span)),
                ("fields", raw.fields.as_ref().map(|_| raw.kind.span())),
                (
                    "named_lists",
                    raw.named_lists.as_ref().map(|_| raw.kind.span()),
                ),
                (
                    "webhook_secret",
                    raw.webhook_secret.as_ref().map(Spanned::span),
                ),
                (
                    "request_timeout_seconds",
                    raw.request_timeout_seconds.as_ref().map(Spanned::span),
                ),
                (
                    "max_response_bytes",
                    raw.max_response_bytes.as_ref().map(Spanned::span),
                ),
                (
                    "webhook_min_interval_seconds",
                    raw.webhook_min_interval_seconds.as_ref().map(Spanned::span),
                ),
            ],
            RawSourceKind::Hibob => vec![
                ("path", raw.path.as_ref().map(Spanned::span)),
                ("format", raw.format.as_ref().map(Spanned::span)),
                ("delimiter", raw.delimiter.as_ref().map(Spanned::span)),
            ],
        };
        let kind_name = if kind == RawSourceKind::File {
            "file"
        } else {
            "hibob"
        };
        let mut bad = false;
        for (key, span) in foreign {
            if let Some(span) = span {
                let msg = format!("is not a key of type = \"{kind_name}\"");
                self.err(Some(span), &format!("source.{key}"), msg);
                bad = true;
            }
        }
        let out = match kind {
            RawSourceKind::File => self.file_source(raw).map(SourceConfig::File),
            RawSourceKind::Hibob => self.hibob_source(raw).map(SourceConfig::HiBob),
        };
        if bad { None } else { out }
    }

    fn file_source(&mut self, raw: &RawSource) -> Option<FileSourceConfig> {
        let Some(path) = &raw.path else {
            self.err(
                Some(raw.kind.span()),
                "source.path",
                "missing; the CSV or JSON file to read".into(),
            );
            return None;
        };
        let resolved = self.path(path.get_ref());
        let format = match raw.format.as_ref().map(|f| *f.get_ref()) {
            Some(RawFileFormat::Csv) => Some(FileFormat::Csv),
            Some(RawFileFormat::Json) => Some(FileFormat::Json),
            None => match resolved
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
            {
                Some(e) if e == "csv" => Some(FileFormat::Csv),
                Some(e) if e == "json" => Some(FileFormat::Json),
                _ => {
                    let msg = "cannot tell the format from the file name; set format = \"csv\" or \"json\"";
                    self.err(Some(path.span()), "source.path", msg.into());
                    None
                }
            },
        };
        let delimiter = match raw.delimiter.as_ref() {
            None => Some(b','),
            Some(d) => match d.get_ref().as_str() {
                "," => Some(b','),
                ";" => Some(b';'),
                "\t" => Some(b'\t'),
                other => {
                    let msg =
                        format!("{other:?} is not accepted; expected \",\", \";\" or \"\\t\"");
                    self.err(Some(d.span()), "source.delimiter", msg);
                    None
                }
            },
        };
        Some(FileSourceConfig {
            path: resolved,
            format: format?,
            delimiter: delimiter?,
        })
    }

    fn hibob_source(&mut self, raw: &RawSource) -> Option<HiBobSourceConfig> {
        let base_url = match &raw.base_url {
            Some(u) => self.url(u, "source.base_url"),
            None => Url::parse(HIBOB_DEFAULT_BASE_URL).ok(),
        };
        let required = |this: &mut Self, v: &Option<Spanned<RawSecret>>, key: &str| match v {
            Some(s) => this.secret(s, key),
            None => {
                this.err(
                    Some(raw.kind.span()),
                    key,
                    "missing; required for type = \"hibob\"".into(),
                );
                None
            }
        };
        let service_user_id = required(self, &raw.service_user_id, "source.service_user_id");
        let token = required(self, &raw.token, "source.token");
        let timeout = self.int(
            raw.request_timeout_seconds.as_ref(),
            "source.request_timeout_seconds",
            HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS,
            1..=600,
        );
        let max_response = self.int(
            raw.max_response_bytes.as_ref(),
            "source.max_response_bytes",
            HIBOB_DEFAULT_MAX_RESPONSE_BYTES,
            (1 << 20)..=(16 << 30),
        );
        let webhook_interval = self.int(
            raw.webhook_min_interval_seconds.as_ref(),
            "source.webhook_min_interval_seconds",
            HIBOB_DEFAULT_WEBHOOK_MIN_INTERVAL_SECONDS,
            0..=3600,
        );
        let webhook_secret = match &raw.webhook_secret {
            Some(s) => Some(self.secret(s, "source.webhook_secret")?),
            None => None,
        };
        Some(HiBobSourceConfig {
            base_url: base_url?,
            service_user_id: service_user_id?,
            token: token?,
            fields: raw.fields.clone().unwrap_or_default(),
            named_lists: raw.named_lists.clone().unwrap_or_default(),
            webhook_secret,
            webhook_min_interval: secs(webhook_interval),
            request_timeout: secs(timeout),
            max_response_bytes: u64::try_from(max_response).unwrap_or(1 << 30),
        })
    }
}
