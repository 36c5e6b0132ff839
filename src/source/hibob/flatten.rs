//! Turns one employee object of bob's `/people/search` response into dotted-path fields.
//!
//! bob returns the same field in up to three notations: nested category objects
//! (`"work": {"department": …}`), root fields at the top level (`"email"` = `root.email`), and
//! flat slash keys (`"/work/department": {"value": …}`). They are read in that order of
//! preference; every notation yields `work.department`. Pure: no I/O, no vendor calls.

use serde_json::{Map, Value};
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

/// Deepest nesting read; bob's categories are two or three levels deep.
const MAX_DEPTH: usize = 8;

/// Flattens one employee object into dotted paths. Nulls and empty strings are absent, never
/// "": a value bob withholds must not look like a cleared value.
pub fn flatten_employee(employee: &Map<String, Value>) -> BTreeMap<String, RawValue> {
    let mut nested = BTreeMap::new();
    let mut top = BTreeMap::new();
    let mut flat = BTreeMap::new();
    for (key, value) in employee {
        if let Some(slashed) = key.strip_prefix('/') {
            let path = slashed
                .split('/')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(".");
            if path.is_empty() {
                continue;
            }
            let inner = match value {
                Value::Object(o) if o.contains_key("value") => &o["value"],
                other => other,
            };
            put(&mut flat, path, inner, 0);
        } else if key == "humanReadable" {
            // Only requested with humanReadable=APPEND; machine values are what we compare.
            continue;
        } else if value.is_object() {
            put(&mut nested, key.clone(), value, 0);
        } else {
            put(&mut top, format!("root.{key}"), value, 0);
        }
    }
    for (path, value) in top.into_iter().chain(flat) {
        nested.entry(path).or_insert(value);
    }
    nested
}

fn put(out: &mut BTreeMap<String, RawValue>, path: String, value: &Value, depth: usize) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            if depth >= MAX_DEPTH {
                return;
            }
            for (key, inner) in map {
                put(out, format!("{path}.{key}"), inner, depth + 1);
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

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(crate::model::number_text(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
