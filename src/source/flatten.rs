//! Nested JSON into dotted field paths, for every HR API source: `{"work": {"site": "x"}}`
//! becomes `work.site = "x"`. Nulls and blank strings are absent (a withheld value must not
//! look like a cleared one); arrays of scalars are kept as items ([`RawValue::Many`]); arrays
//! of objects (history tables) are left out. Pure: no I/O.
//!
//! Vendor notations (bob's slash keys, Personio's `{"label","value","type"}` wrappers) are
//! unwrapped by the vendor's module before or while calling [`flatten_into`].

use serde_json::Value;
use std::collections::BTreeMap;

/// A flattened field value: one scalar, or the items of a list (multi-list ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawValue {
    /// A string, number or boolean, as text.
    One(String),
    /// An array of scalars, as text.
    Many(Vec<String>),
}

impl RawValue {
    /// The value as one text (list items joined with `", "`).
    pub fn into_text(self) -> String {
        match self {
            Self::One(s) => s,
            Self::Many(items) => items.join(", "),
        }
    }
}

/// Deepest nesting read below the first path segment.
pub const MAX_DEPTH: usize = 8;

/// Puts `value` into `out` under `path`, objects recursively as `path.key` (at most
/// [`MAX_DEPTH`] levels below `depth`). An existing entry is replaced.
pub fn flatten_into(
    out: &mut BTreeMap<String, RawValue>,
    path: String,
    value: &Value,
    depth: usize,
) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            if depth >= MAX_DEPTH {
                return;
            }
            for (key, inner) in map {
                flatten_into(out, format!("{path}.{key}"), inner, depth + 1);
            }
        }
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            // Arrays of objects are table rows (history), not fields hrsync maps.
            if !texts.is_empty() {
                out.insert(path, RawValue::Many(texts));
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                out.insert(path, RawValue::One(text));
            }
        }
    }
}

/// A scalar as text: strings as they are (blank ones are `None`), numbers without a
/// trailing `.0`, booleans as `true`/`false`; `None` for null, arrays and objects.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(crate::model::number_text(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// True when a field path, or any deeper path below it, has a value in `record`: a requested
/// object field (`work.reportsTo`) counts as present when one of its members is.
pub fn has_path(record: &BTreeMap<String, RawValue>, field: &str) -> bool {
    record.contains_key(field)
        || record
            .range::<str, _>((std::ops::Bound::Excluded(field), std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(field))
            .any(|(k, _)| k[field.len()..].starts_with('.'))
}

/// The `fields` that no record has a value for (see [`has_path`]), in the order given; none
/// when there are no records (an empty answer is the snapshot guard's business). An HR API
/// that silently drops fields the credential may not read shows it this way.
pub fn missing_everywhere<'a>(
    records: &[BTreeMap<String, RawValue>],
    fields: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    if records.is_empty() {
        return Vec::new();
    }
    fields
        .into_iter()
        .filter(|f| !records.iter().any(|r| has_path(r, f)))
        .collect()
}

#[cfg(test)]
mod tests;
