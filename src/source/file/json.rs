//! The JSON form of the file source: a top-level array of objects, each flattened into
//! dotted field paths (numbers and booleans become text), each element's line found for the
//! messages. Parses only; the records go to `Records` like a CSV row's.

use super::{Records, malformed};
use crate::source::{Rejected, SourceError, record};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every element of a JSON file's top-level array as a record (its line in messages).
pub(super) fn json_records(
    bytes: &[u8],
    name: &str,
    location: &str,
    out: &mut Records<'_>,
) -> Result<(), SourceError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        malformed(
            &format!("{location}:{}:{}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })?;
    let Value::Array(items) = value else {
        return Err(malformed(
            location,
            "expected a JSON array of employee objects".into(),
        ));
    };
    if items.len() > out.cfg.max_records {
        return Err(record::too_many_records(location, out.cfg.max_records));
    }
    let lines = element_lines(bytes);
    let lines_ok = lines.len() == items.len();
    for (i, item) in items.into_iter().enumerate() {
        let origin = match lines.get(i) {
            Some(line) if lines_ok => format!("{name}:{line}"),
            _ => format!("{name}[{i}]"),
        };
        match item {
            Value::Object(_) => {
                let mut fields = BTreeMap::new();
                flatten(String::new(), item, &mut fields);
                out.build(origin, fields);
            }
            other => out.refuse(Rejected {
                location: origin,
                employee_id: None,
                field: None,
                reason: format!("is a JSON {}; expected an object", json_kind(&other)),
            }),
        }
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Nested objects become dotted paths (`work.department`), array items indexed paths
/// (`phones.0`); numbers and booleans become text; nulls are absent.
fn flatten(prefix: String, value: Value, out: &mut BTreeMap<String, String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Null => {}
        Value::Bool(b) => {
            out.insert(prefix, b.to_string());
        }
        Value::Number(n) => {
            out.insert(prefix, crate::model::number_text(&n));
        }
        Value::String(s) => {
            out.insert(prefix, s);
        }
        Value::Array(items) => {
            for (i, v) in items.into_iter().enumerate() {
                flatten(join(&i.to_string()), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten(join(&k), v, out);
            }
        }
    }
}

/// The 1-based line on which each element of the top-level JSON array starts.
pub(super) fn element_lines(bytes: &[u8]) -> Vec<usize> {
    let (mut line, mut depth) = (1usize, 0usize);
    let (mut in_str, mut escaped, mut expecting) = (false, false, false);
    let mut out = Vec::new();
    for &b in bytes {
        if b == b'\n' {
            line += 1;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if depth == 1 && expecting && b != b']' && b != b',' {
            out.push(line);
            expecting = false;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                expecting = depth == 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    out
}
