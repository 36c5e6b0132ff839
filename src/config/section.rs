//! Deserializing one section with every mistake reported: serde stops at the first error,
//! so the section is deserialized again without each offending key (up to
//! [`MAX_ERRORS_PER_SECTION`]), each error placed by its span (or the positions a check gave
//! with `value::mistakes`) and named by the key path found there.
//!
//! Pure: works on the parsed TOML only. Never echoes a secret written inline.

use super::error::{ConfigError, SourceText, humanize_serde_message};
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

/// Keys whose values are secrets: a wrong-typed value there (a token written inline) is never
/// echoed in an error message.
const SECRET_KEYS: [&str; 5] = [
    "okta.token",
    "okta.oauth.private_key",
    "source.token",
    "source.service_user_id",
    "source.webhook_secret",
];

/// Deserializes one section; on error records it (with the key path found from its span).
pub(super) fn section<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    section_with(src, name, None, value, errors)
        .and_then(|(v, refused)| refused.is_empty().then_some(v))
}

/// Like [`section`], but a section with mistakes is still returned as it deserialized
/// without the refused keys (named in `refused`), so that the checks across its keys can
/// report their mistakes too. Never used for a `Config`: its errors are already recorded.
pub(super) fn section_partial<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
    refused: &mut Vec<String>,
) -> Option<T> {
    let (v, mut keys) = section_with(src, name, None, value, errors)?;
    refused.append(&mut keys);
    Some(v)
}

/// Deserializes a section whose keys depend on its `type` (`kind`): a key of another type is
/// reported as not a key of this one.
pub(super) fn section_of_kind<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    kind: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    section_with(src, name, Some(kind), value, errors)
        .and_then(|(v, refused)| refused.is_empty().then_some(v))
}

fn section_with<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    kind: Option<&str>,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<(T, Vec<String>)> {
    // Retry without each offending key so that several mistakes in one section are reported
    // together; stop at an error that no key removal can get past (e.g. a missing key).
    let mut value = value.clone();
    let mut removed: Vec<String> = Vec::new();
    for attempt in 0..MAX_ERRORS_PER_SECTION {
        let e = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => return Some((v, removed)),
            Err(e) => e,
        };
        if let Some((remove_at, mistakes)) = super::value::split_mistakes(e.message()) {
            for (at, key, message) in mistakes {
                let key = key.unwrap_or_else(|| key_path_at(name, &value, at));
                errors.push(src.error_at(Some(at..at + 1), key, message));
            }
            removed.push(key_path_at(name, &value, remove_at));
            if !remove_entry_at(&mut value, remove_at) {
                break;
            }
            continue;
        }
        let raw_message = e.message();
        let span = e.span().unwrap_or_else(|| value.span());
        let key = key_path_at(name, &value, span.start);
        // A required key that a retry removed (its value was wrong) is not missing as well;
        // a typed section names the key it misses.
        if let Some(missing) = raw_message.trim_end().strip_prefix("missing field ") {
            let missing_key = format!("{key}.{}", missing.trim_matches('`'));
            if removed.contains(&missing_key) {
                break;
            }
            if let Some(kind) = kind {
                let msg = format!("missing; required for type = \"{kind}\"");
                errors.push(src.error_at(Some(span), missing_key, msg));
                break;
            }
        }
        if attempt > 0 && key == name {
            break;
        }
        let message =
            if SECRET_KEYS.contains(&key.as_str()) && raw_message.starts_with("invalid type") {
                "must be a secret reference: { env = \"VAR\" }, { file = \"path\" } or \
             { credential = \"name\" }; never write the secret itself here (its value is not shown)"
                    .to_owned()
            } else {
                let message = humanize_serde_message(raw_message);
                match (kind, message.strip_prefix("unknown key ")) {
                    (Some(kind), Some(rest)) if key.matches('.').count() == 1 => {
                        let expected = rest.split_once("; ").map_or("", |(_, e)| e);
                        format!("is not a key of type = \"{kind}\"; {expected}")
                    }
                    _ => message,
                }
            };
        errors.push(src.error_at(Some(span.clone()), key.clone(), message));
        removed.push(key);
        if !remove_entry_at(&mut value, span.start) {
            break;
        }
    }
    None
}

/// Most errors reported for one section.
const MAX_ERRORS_PER_SECTION: usize = 20;

/// One step from a table or array to the entry holding an offset.
enum Step {
    /// A table's entry.
    Key(String),
    /// An array's element.
    Index(usize),
}

/// The steps to the innermost key or value containing `offset`. A table written under its
/// own header (`[mapping.types]`) may have no span around its entries, so each entry's
/// contents are searched too.
fn path_to(value: &Spanned<DeValue<'_>>, offset: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut current = value;
    loop {
        match current.get_ref() {
            DeValue::Table(t) => {
                let hit = t
                    .iter()
                    .find(|(k, v)| k.span().contains(&offset) || v.span().contains(&offset))
                    .or_else(|| t.iter().find(|(_, v)| !path_to(v, offset).is_empty()));
                let Some((k, v)) = hit else { return steps };
                let on_key = k.span().contains(&offset);
                steps.push(Step::Key(k.get_ref().to_string()));
                if on_key {
                    return steps;
                }
                current = v;
            }
            DeValue::Array(a) => {
                let Some((i, v)) = a
                    .iter()
                    .enumerate()
                    .find(|(_, v)| v.span().contains(&offset))
                else {
                    return steps;
                };
                steps.push(Step::Index(i));
                current = v;
            }
            _ => return steps,
        }
    }
}

/// Removes the innermost table entry whose key or value contains `offset`; false if none.
fn remove_entry_at(value: &mut Spanned<DeValue<'_>>, offset: usize) -> bool {
    let steps = path_to(value, offset);
    // The last table entry on the path (an array element is removed with its entry).
    let Some(last) = steps.iter().rposition(|s| matches!(s, Step::Key(..))) else {
        return false;
    };
    let mut current = value;
    for step in &steps[..last] {
        let next = match (current.get_mut(), step) {
            (DeValue::Table(t), Step::Key(k)) => t.get_mut(k.as_str()),
            (DeValue::Array(a), Step::Index(i)) => a.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return false };
        current = next;
    }
    match (current.get_mut(), &steps[last]) {
        (DeValue::Table(t), Step::Key(k)) => t.remove(k.as_str()).is_some(),
        _ => false,
    }
}

/// The dotted key path of the innermost key or value containing `offset`.
fn key_path_at(prefix: &str, value: &Spanned<DeValue<'_>>, offset: usize) -> String {
    let mut path = prefix.to_owned();
    for step in path_to(value, offset) {
        match step {
            Step::Key(k) => {
                path.push('.');
                path.push_str(&k);
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}
