//! Turns one SCIM 2.0 User resource (RFC 7643 §4.1, with extensions) into the dotted field
//! paths templates and `[employee]` address. The addressing, as documented in
//! `config/hrsync.scim.toml`:
//!
//! - Simple and complex core attributes by their SCIM path: `userName`, `active`
//!   (`true`/`false`), `name.givenName`, `name.familyName`, `meta.lastModified`.
//! - Multi-valued attributes (`emails`, `phoneNumbers`, `addresses`, …) by the item's `type`:
//!   `emails.work` is the value of the first item of type `work` (RFC 7644's
//!   `emails[type eq "work"].value`, which cannot be written in a template because of its
//!   spaces; `emails.work.value` is the same), `addresses.work.locality` a sub-attribute of
//!   an item; `emails.primary` (and
//!   `addresses.primary.locality`) the item marked `primary`; `emails` alone the primary
//!   item's value, else the first item's.
//! - The enterprise extension (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`)
//!   under the short prefix `enterprise.`: `enterprise.employeeNumber`,
//!   `enterprise.department`, `enterprise.manager.value`; and, as for every extension, under
//!   RFC 7644's full attribute notation: the schema URN, a colon, the attribute's path
//!   (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`).
//!
//! Nulls and blank strings are absent; `password` (never returned by a service) and
//! `schemas` are skipped. Pure: no I/O.

use crate::source::flatten::{RawValue, scalar_text};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The enterprise extension's schema URN.
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The short prefix the enterprise extension's attributes are also read under.
pub const ENTERPRISE_PREFIX: &str = "enterprise";

/// Deepest nesting read (SCIM attributes are at most two levels deep, extensions alike).
const MAX_DEPTH: usize = 6;

/// Most items of one multi-valued attribute read (the rest are ignored).
const MAX_ITEMS: usize = 100;

/// Flattens one User resource into field paths (see the module doc).
pub fn flatten_user(user: &Map<String, Value>) -> BTreeMap<String, RawValue> {
    let mut out = BTreeMap::new();
    for (key, value) in user {
        if key == "schemas" || key == "password" {
            continue;
        }
        if key.starts_with("urn:") {
            // An extension: its attributes under `<urn>:<path>`.
            if let Value::Object(attrs) = value {
                for (name, inner) in attrs {
                    put(&mut out, format!("{key}:{name}"), inner, 1);
                    if key.eq_ignore_ascii_case(ENTERPRISE_URN) {
                        put(&mut out, format!("{ENTERPRISE_PREFIX}.{name}"), inner, 1);
                    }
                }
            }
            continue;
        }
        put(&mut out, key.clone(), value, 0);
    }
    out
}

fn put(out: &mut BTreeMap<String, RawValue>, path: String, value: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, inner) in map {
                put(out, format!("{path}.{key}"), inner, depth + 1);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            multi_valued(out, &path, items, depth);
        }
        Value::Array(items) => {
            let texts: Vec<String> = items
                .iter()
                .take(MAX_ITEMS)
                .filter_map(scalar_text)
                .collect();
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

/// A multi-valued complex attribute: each item under `path.<type>` (first of each type),
/// the primary one under `path.primary`, and `path` itself the primary's (or first's) value.
fn multi_valued(out: &mut BTreeMap<String, RawValue>, path: &str, items: &[Value], depth: usize) {
    let objects: Vec<&Map<String, Value>> = items
        .iter()
        .take(MAX_ITEMS)
        .filter_map(Value::as_object)
        .collect();
    let primary = objects
        .iter()
        .find(|o| o.get("primary").is_some_and(is_true))
        .copied();
    let mut keyed = Vec::new();
    if let Some(item) = primary {
        keyed.push(("primary".to_owned(), item));
    }
    for item in &objects {
        let Some(kind) = item.get("type").and_then(scalar_text) else {
            continue;
        };
        let kind = kind.trim().to_owned();
        if kind.is_empty()
            || kind == "primary"
            || kind
                .chars()
                .any(|c| c.is_whitespace() || c == '.' || c.is_control())
            || keyed.iter().any(|(k, _)| *k == kind)
        {
            continue;
        }
        keyed.push((kind, item));
    }
    for (key, item) in keyed {
        item_fields(out, &format!("{path}.{key}"), item, depth + 1);
    }
    if let Some(value) = primary
        .or_else(|| objects.first().copied())
        .and_then(|o| o.get("value"))
        .and_then(scalar_text)
    {
        out.insert(path.to_owned(), RawValue::One(value));
    }
}

/// One item of a multi-valued attribute: `path` and `path.value` = its `value`, `path.<sub>` = each other
/// sub-attribute (`type` and `primary` are how it was chosen, so they are left out).
fn item_fields(
    out: &mut BTreeMap<String, RawValue>,
    path: &str,
    item: &Map<String, Value>,
    depth: usize,
) {
    for (sub, inner) in item {
        match sub.as_str() {
            "value" => {
                if let Some(text) = scalar_text(inner) {
                    out.insert(format!("{path}.value"), RawValue::One(text.clone()));
                    out.insert(path.to_owned(), RawValue::One(text));
                }
            }
            "type" | "primary" => {}
            _ => put(out, format!("{path}.{sub}"), inner, depth + 1),
        }
    }
}

fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
