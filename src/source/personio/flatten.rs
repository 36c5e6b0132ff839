//! One Personio v1 employee (`attributes`) into dotted-path fields. Each attribute is wrapped
//! as `{"label","value","type","universal_id"}`; its `value` is a scalar (`first_name`,
//! `hire_date`), a reference object `{"type":"Department","attributes":{"id","name"}}` whose
//! attributes may be wrapped again (`supervisor`), or a list of references (`cost_centers`).
//! `department.name`, `supervisor.id`, `cost_centers.name` (the items) come out. Pure.

use crate::source::flatten::{RawValue, flatten_into, scalar_text};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Deepest reference nesting unwrapped (a supervisor's department's …).
const MAX_DEPTH: usize = 4;

/// Flattens one employee's `attributes` object. Nulls and blanks are absent.
pub fn flatten_employee(attributes: &Map<String, Value>) -> BTreeMap<String, RawValue> {
    let mut out = BTreeMap::new();
    for (name, attribute) in attributes {
        put(&mut out, name.clone(), attribute, 0);
    }
    out
}

fn put(out: &mut BTreeMap<String, RawValue>, path: String, value: &Value, depth: usize) {
    let value = unwrap(value);
    match value {
        Value::Object(map) if depth < MAX_DEPTH => {
            let inner = map
                .get("attributes")
                .and_then(Value::as_object)
                .unwrap_or(map);
            for (key, v) in inner {
                put(out, format!("{path}.{key}"), v, depth + 1);
            }
        }
        Value::Object(_) => {}
        Value::Array(items) if items.iter().any(Value::is_object) => {
            // A list of references: each inner path gathers the items' values.
            let mut gathered: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for item in items {
                let mut one = BTreeMap::new();
                put(&mut one, path.clone(), item, depth + 1);
                for (k, v) in one {
                    let entry = gathered.entry(k).or_default();
                    match v {
                        RawValue::One(s) => entry.push(s),
                        RawValue::Many(m) => entry.extend(m),
                    }
                }
            }
            for (k, v) in gathered {
                out.insert(k, RawValue::Many(v));
            }
        }
        other => {
            if scalar_text(other).is_some() || other.is_array() {
                flatten_into(out, path, other, 0);
            }
        }
    }
}

/// The `value` of a `{"label","value",…}` wrapper; anything else as it is.
fn unwrap(value: &Value) -> &Value {
    match value {
        Value::Object(o)
            if o.contains_key("value")
                && (o.contains_key("label") || o.contains_key("type") || o.len() == 1) =>
        {
            &o["value"]
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
