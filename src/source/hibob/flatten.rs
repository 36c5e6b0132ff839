//! Turns one employee object of bob's `/people/search` response into dotted-path fields.
//!
//! bob returns the same field in up to three notations: nested category objects
//! (`"work": {"department": …}`), root fields at the top level (`"email"` = `root.email`), and
//! flat slash keys (`"/work/department": {"value": …}`). They are read in that order of
//! preference; every notation yields `work.department`. The nesting itself is flattened by the
//! shared [`crate::source::flatten`]. Pure: no I/O, no vendor calls.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub use crate::source::flatten::RawValue;

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
    crate::source::flatten::flatten_into(out, path, value, depth);
}

#[cfg(test)]
mod tests;
