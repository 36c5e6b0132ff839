//! Config values that check themselves while serde reads them, so that a section's typed
//! struct can be deserialized directly: integers and durations in a range, URLs hrsync may
//! call, paths relative to the config file, and secrets read from their reference. Each
//! refusal is a serde error at the value's position, worded as the loader reports it
//! (`-1 is out of range; expected 0 to 3600`).
//!
//! Paths and secrets need the file's folder and the environment: the loader makes them
//! available for the duration of one load with [`with_scope`]. Reads secret files and the
//! environment only; never puts a secret's value in a message.

use super::secret::{Secret, SecretRef};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use url::{Host, Url};

/// How environment variables are looked up during a load.
pub type EnvLookup = Rc<dyn Fn(&str) -> Option<String>>;

/// What the values of one load are resolved against.
#[derive(Clone)]
pub struct Scope {
    /// The config file's folder: relative paths are resolved against it.
    pub base_dir: PathBuf,
    /// Looks up environment variables (the process environment, or a map in tests).
    pub env: EnvLookup,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `f` with `scope` as the place paths and secrets are resolved against; the previous
/// scope (normally none) is restored afterwards.
pub fn with_scope<T>(scope: Scope, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Scope>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SCOPE.with(|s| *s.borrow_mut() = previous);
        }
    }
    let _restore = Restore(SCOPE.with(|s| s.borrow_mut().replace(scope)));
    f()
}

/// The current load's scope; outside a load, the working directory and the process
/// environment.
fn scope() -> Scope {
    SCOPE.with(|s| s.borrow().clone()).unwrap_or_else(|| Scope {
        base_dir: PathBuf::from("."),
        env: Rc::new(|name| std::env::var(name).ok()),
    })
}

/// An environment variable as the current load sees it (the process environment outside a
/// load).
pub fn env_var(name: &str) -> Option<String> {
    (scope().env)(name)
}

pub use hrsync_core::bounded::{in_range, int, number, seconds};

/// Marks a message that carries its own positions: serde's errors have none of their own (the
/// loader puts them at the value that failed), so a check that finds mistakes after reading a
/// value (a place inside a string, one element of a list, several at once) sends their byte
/// offsets at the end of the message, and the loader ([`split_mistakes`]) takes them off.
const MISTAKES_MARK: char = '\u{1}';

/// One mistake found after a value was read: its byte offset in the file, its key path when
/// the offset does not name it (a list that lacks a value), and the message.
pub type Mistake = (usize, Option<String>, String);

/// A serde error carrying `mistakes`; the loader retries without the entry at `remove_at`.
pub fn mistakes<E: de::Error>(remove_at: usize, mistakes: &[Mistake]) -> E {
    let first = mistakes.first().map_or("", |(_, _, m)| m.as_str());
    let encoded = serde_json::to_string(&(remove_at, mistakes)).unwrap_or_default();
    E::custom(format!("{first}{MISTAKES_MARK}{encoded}"))
}

/// A serde error at byte offset `at` of the file.
pub fn error_at<E: de::Error>(at: usize, message: impl std::fmt::Display) -> E {
    mistakes(at, &[(at, None, message.to_string())])
}

/// The mistakes [`mistakes`] put in a message, and the offset to retry without; `None` for
/// any other message.
pub fn split_mistakes(message: &str) -> Option<(usize, Vec<Mistake>)> {
    let (_, encoded) = message.trim_end().split_once(MISTAKES_MARK)?;
    serde_json::from_str(encoded).ok()
}

/// The span of the character at 1-based `position` inside a quoted string value (exact for
/// strings without escapes; the opening quote is skipped).
pub fn inner_span(v: &toml::Spanned<String>, position: usize) -> std::ops::Range<usize> {
    let chars_before = position.saturating_sub(1);
    let bytes: usize = v
        .get_ref()
        .chars()
        .take(chars_before)
        .map(char::len_utf8)
        .sum();
    let start = v.span().start + 1 + bytes;
    start..start + 1
}

/// A span of time written with units: whole numbers each followed by `d`, `h`, `m` or `s`,
/// several in a row (`"90s"`, `"15m"`, `"24h"`, `"7d"`, `"1h30m"`), from `lo` to `hi` seconds;
/// or the message the loader reports.
pub fn parse_span(text: &str, lo: u64, hi: u64) -> Result<std::time::Duration, String> {
    let expected = format!(
        "expected a span of time such as \"90s\", \"15m\", \"24h\" or \"7d\" (units d, h, m, s; several in a row, e.g. \"1h30m\"), from {lo} to {hi} seconds"
    );
    let trimmed = text.trim();
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut parts = 0;
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            if digits.len() >= 12 {
                return Err(format!("{text:?} is too long; {expected}"));
            }
            digits.push(c);
            continue;
        }
        let unit: u64 = match c {
            'd' => 86_400,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(format!("{text:?} is not a span of time; {expected}")),
        };
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("{text:?} has a unit without a number; {expected}"))?;
        digits.clear();
        parts += 1;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("{text:?} is too long; {expected}"))?;
    }
    if !digits.is_empty() || parts == 0 {
        return Err(format!("{text:?} lacks a unit; {expected}"));
    }
    if !(lo..=hi).contains(&total) {
        return Err(format!("{text:?} ({total} s) is out of range; {expected}"));
    }
    Ok(std::time::Duration::from_secs(total))
}

/// Deserializes a span of time written with units (see [`parse_span`]), from `LO` to `HI`
/// seconds.
pub fn span<'de, const LO: u64, const HI: u64, D: Deserializer<'de>>(
    d: D,
) -> Result<std::time::Duration, D::Error> {
    parse_span(&String::deserialize(d)?, LO, HI).map_err(de::Error::custom)
}

/// An IANA zone name, or the message the loader reports.
pub fn parse_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    text.parse::<chrono_tz::Tz>().map_err(|_| {
        format!(
            "unknown time zone {text:?}; expected an IANA name such as Europe/London, America/New_York or UTC"
        )
    })
}

/// Deserializes an IANA zone name.
pub fn zone<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    parse_zone(&String::deserialize(d)?).map_err(de::Error::custom)
}

/// Deserializes a path, resolved against the config file's folder.
pub fn path<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(de::Error::custom("is empty; expected a file path"));
    }
    Ok(scope().base_dir.join(text))
}

/// Deserializes a URL hrsync may call (see [`checked_url`]).
pub fn url<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let text = String::deserialize(d)?;
    checked_url(&text).map_err(de::Error::custom)
}

/// An https URL, or http on a loopback host; never one with a user name or password (they
/// are refused, and never shown in any message).
pub fn checked_url(text: &str) -> Result<Url, String> {
    let shown = without_userinfo(text);
    if shown != text {
        return Err(format!(
            "{shown:?} carries a user name or password (shown here as ***); credentials never go in a URL: put the token in its secret reference ([okta] token or [source] token) and remove them from the URL"
        ));
    }
    let url = Url::parse(text).map_err(|e| {
        format!("{text:?} is not a URL ({e}); expected e.g. https://example.okta.com")
    })?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => loopback,
        _ => false,
    };
    if ok {
        Ok(url)
    } else {
        Err(format!(
            "{text:?} is refused; expected an https URL (http only on a loopback host: 127.0.0.1, ::1, localhost)"
        ))
    }
}

/// `https://user:pw@host/x` → `https://***@host/x`; text without user info is returned as is.
pub fn without_userinfo(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => text.to_owned(),
    }
}

/// A secret reference as written: exactly one of `env`, `file` or `credential`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a secret reference: { env = \"VAR\" }, { file = \"path\" } or { credential = \"name\" }"
)]
struct Reference {
    env: Option<String>,
    file: Option<String>,
    credential: Option<String>,
}

impl Reference {
    fn into_ref(self, base_dir: &std::path::Path) -> Result<SecretRef, &'static str> {
        match (self.env, self.file, self.credential) {
            (Some(name), None, None) => Ok(SecretRef::Env(name)),
            (None, Some(file), None) => Ok(SecretRef::File(base_dir.join(file))),
            (None, None, Some(name)) => Ok(SecretRef::Credential(name)),
            _ => Err(
                "give exactly one of env, file or credential, e.g. { env = \"OKTA_API_TOKEN\" }",
            ),
        }
    }
}

/// A secret reference read as written (not yet resolved: reading it is I/O, done after
/// deserialization); a file is resolved against the config file's folder. A value written in
/// its place is serde's "invalid type" error, which the loader rewords without the value.
impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Reference::deserialize(d)?
            .into_ref(&scope().base_dir)
            .map_err(de::Error::custom)
    }
}

/// Reads a [`Reference`] from a table; anything else is refused without showing it.
struct ReferenceVisitor;

const NOT_A_REFERENCE: &str = "is written as a value; a secret is written as a reference: { env = \"VAR\" }, { file = \"path\" } or { credential = \"name\" } (the value is not shown here; if it was a real secret, treat it as exposed to whoever can read this file)";

impl<'de> de::Visitor<'de> for ReferenceVisitor {
    type Value = Reference;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a secret reference: { env = \"VAR\" }, { file = \"path\" } or { credential = \"name\" }")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Reference, A::Error> {
        Reference::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Reference, E> {
        Err(E::custom(NOT_A_REFERENCE))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Reference, E> {
        Err(E::custom(NOT_A_REFERENCE))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Reference, E> {
        Err(E::custom(NOT_A_REFERENCE))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Reference, E> {
        Err(E::custom(NOT_A_REFERENCE))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Reference, E> {
        Err(E::custom(NOT_A_REFERENCE))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Reference, A::Error> {
        Err(de::Error::custom(NOT_A_REFERENCE))
    }
}

/// A secret is written as its reference and read while the config loads: a typed section
/// holds the value, and a reference that cannot be read is an error at its position.
///
/// A value written in place of the reference (`token = "00ab..."`) is refused without being
/// repeated: serde's own "invalid type: string ..." would print the secret.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let scope = scope();
        let reference = d
            .deserialize_any(ReferenceVisitor)?
            .into_ref(&scope.base_dir)
            .map_err(de::Error::custom)?;
        reference
            .resolve(&*scope.env)
            .map_err(|e| de::Error::custom(e.to_string()))
    }
}

#[cfg(test)]
mod tests;
