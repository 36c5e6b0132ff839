//! The partial `POST /api/v1/meta/schemas/user/default`: reads the body's
//! `definitions.custom.properties` (and `definitions.base.properties`), checks every change
//! the way Okta does, and applies all of them or none. A listed property is added, or has the
//! given keywords merged into its definition; `null` removes it (Okta's spec: "You must set
//! properties explicitly to `null` to remove them"). The type of an existing property, and
//! anything about a base property the emulator does not model, is never changed. No users are
//! touched here: the caller strips removed properties' values.

use super::{BASE, CustomProperty, MAX_UNIQUE, PropertyType, Schema, base};
use crate::errors::ApiError;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Names Okta refuses for custom properties (help.okta.com "Review reserved attributes",
/// abridged to the ones a user object itself uses).
const RESERVED: &[&str] = &[
    "id",
    "profile",
    "status",
    "created",
    "activated",
    "statusChanged",
    "lastLogin",
    "lastUpdated",
    "passwordChanged",
    "type",
    "password",
    "credentials",
    "transitioningToStatus",
    "realmId",
    "_links",
    "_embedded",
];

/// What a successful patch changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    /// Custom properties removed (their values must be dropped from every user).
    pub removed: Vec<String>,
}

// Error wording: Okta documents only `E0000001` for a schema that fails validation; the
// causes below are the emulator's own Okta-style sentences (`<property>: <reason>`).
fn invalid(name: &str, reason: &str) -> ApiError {
    ApiError::validation(name, vec![format!("{name}: {reason}")])
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn properties<'a>(
    body: &'a Map<String, Value>,
    part: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    let Some(defs) = body.get("definitions") else {
        return Ok(None);
    };
    let Some(sub) = defs.get(part).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    match sub.get("properties") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ApiError::malformed_body()),
    }
}

fn opt_u64(
    obj: &Map<String, Value>,
    key: &str,
    name: &str,
) -> Result<Option<Option<u64>>, ApiError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => v
            .as_u64()
            .map(|n| Some(Some(n)))
            .ok_or_else(|| invalid(name, &format!("{key} must be a non-negative integer"))),
    }
}

fn opt_string(
    obj: &Map<String, Value>,
    key: &str,
    name: &str,
) -> Result<Option<Option<String>>, ApiError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(invalid(name, &format!("{key} must be a string"))),
    }
}

/// `unique`: Okta's API takes `"UNIQUE_VALIDATED"`/`"NOT_UNIQUE"` (Terraform's provider sends
/// these); its spec declares a boolean, so `true`/`false` are read too.
fn unique_flag(v: &Value, name: &str) -> Result<bool, ApiError> {
    match v {
        Value::Null | Value::Bool(false) => Ok(false),
        Value::Bool(true) => Ok(true),
        Value::String(s) if s == "UNIQUE_VALIDATED" => Ok(true),
        Value::String(s) if s == "NOT_UNIQUE" => Ok(false),
        _ => Err(invalid(
            name,
            "unique must be UNIQUE_VALIDATED or NOT_UNIQUE",
        )),
    }
}

/// Merges one property definition from the body into `p` (a new one when `existing` is None).
fn merge_property(
    name: &str,
    def: &Map<String, Value>,
    existing: Option<&CustomProperty>,
) -> Result<CustomProperty, ApiError> {
    let mut p = existing.cloned().unwrap_or_default();
    match (def.get("type"), existing) {
        (None | Some(Value::Null), Some(_)) => {}
        (None | Some(Value::Null), None) => {
            return Err(invalid(name, "The field type cannot be left blank"));
        }
        (Some(t), _) => {
            let kind = t.as_str().and_then(PropertyType::parse).ok_or_else(|| {
                invalid(
                    name,
                    "type must be one of string, boolean, integer, number, array",
                )
            })?;
            if let Some(old) = existing
                && old.kind != kind
            {
                return Err(invalid(
                    name,
                    &format!(
                        "The type of an existing property cannot be changed (from {} to {})",
                        old.kind.as_str(),
                        kind.as_str()
                    ),
                ));
            }
            p.kind = kind;
        }
    }
    if p.kind == PropertyType::Array {
        let item_type = def
            .get("items")
            .and_then(|i| i.get("type"))
            .and_then(Value::as_str);
        if existing.is_none() && item_type.is_none() {
            return Err(invalid(name, "An array property needs items.type"));
        }
        if item_type.is_some_and(|t| t != "string") {
            // Okta also has integer and number arrays; the emulator models strings only.
            return Err(invalid(
                name,
                "The emulator supports arrays of strings only",
            ));
        }
    }
    if let Some(t) = opt_string(def, "title", name)? {
        p.title = t;
    }
    if p.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(invalid(name, "The field title cannot be left blank"));
    }
    if let Some(d) = opt_string(def, "description", name)? {
        p.description = d;
    }
    if let Some(n) = opt_u64(def, "minLength", name)? {
        p.min_length = n;
    }
    if let Some(n) = opt_u64(def, "maxLength", name)? {
        p.max_length = n;
    }
    if (p.min_length.is_some() || p.max_length.is_some()) && p.kind != PropertyType::String {
        return Err(invalid(
            name,
            "minLength and maxLength apply to strings only",
        ));
    }
    if let (Some(min), Some(max)) = (p.min_length, p.max_length)
        && min > max
    {
        return Err(invalid(
            name,
            "minLength must not be greater than maxLength",
        ));
    }
    match def.get("required") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => p.required = *b,
        Some(_) => return Err(invalid(name, "required must be a boolean")),
    }
    if let Some(u) = def.get("unique") {
        p.unique = unique_flag(u, name)?;
    }
    if p.unique && !p.kind.can_be_unique() {
        return Err(invalid(
            name,
            &format!("A {} property cannot be unique", p.kind.as_str()),
        ));
    }
    let allowed = def
        .get("enum")
        .or_else(|| def.get("items").and_then(|i| i.get("enum")));
    match allowed {
        None => {}
        Some(Value::Null) => p.allowed = None,
        Some(Value::Array(values)) if !values.is_empty() => p.allowed = Some(values.clone()),
        Some(_) => return Err(invalid(name, "enum must be a non-empty array")),
    }
    match def.get("permissions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(perms)) => {
            for perm in perms {
                let action = perm.get("action").and_then(Value::as_str);
                if perm.get("principal").and_then(Value::as_str) != Some("SELF")
                    || !matches!(action, Some("READ_WRITE" | "READ_ONLY" | "HIDE"))
                {
                    return Err(invalid(
                        name,
                        "permissions must be SELF with READ_WRITE, READ_ONLY or HIDE",
                    ));
                }
                p.permission = action.map(str::to_owned);
            }
        }
        Some(_) => return Err(invalid(name, "permissions must be an array")),
    }
    match def.get("master").and_then(|m| m.get("type")) {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if matches!(t.as_str(), "PROFILE_MASTER" | "OKTA" | "OVERRIDE") => {
            p.master = Some(t.clone());
        }
        Some(_) => {
            return Err(invalid(
                name,
                "master.type must be PROFILE_MASTER, OKTA or OVERRIDE",
            ));
        }
    }
    Ok(p)
}

/// Checks a base property entry: base properties cannot be removed or retyped; the keywords
/// Okta lets admins change (permissions, nullability, login pattern) are accepted and not
/// modelled.
fn check_base(name: &str, def: &Value) -> Result<(), ApiError> {
    if base::find(name).is_none() {
        return Err(invalid(
            name,
            "Property is not a base property; declare it under definitions.custom",
        ));
    }
    match def {
        Value::Null => Err(invalid(name, "A base property cannot be removed")),
        Value::Object(o) => match o.get("type") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(t)) if t == "string" => Ok(()),
            Some(_) => Err(invalid(
                name,
                "The type of an existing property cannot be changed",
            )),
        },
        _ => Err(ApiError::malformed_body()),
    }
}

impl Schema {
    /// Applies a partial schema update. `has_duplicates(name)` says whether users already hold
    /// duplicate values of `name`: making such an existing property unique is accepted but
    /// not enforced, as Okta's asynchronous uniqueness check ends.
    pub fn apply_patch(
        &mut self,
        body: &Map<String, Value>,
        has_duplicates: impl Fn(&str) -> bool,
        at: DateTime<Utc>,
    ) -> Result<Applied, ApiError> {
        if let Some(props) = properties(body, "base")? {
            for (name, def) in props {
                check_base(name, def)?;
            }
        }
        let mut next = self.custom.clone();
        let mut applied = Applied::default();
        for (name, def) in properties(body, "custom")?.into_iter().flatten() {
            if def.is_null() {
                if next.remove(name).is_some() {
                    applied.removed.push(name.clone());
                }
                continue;
            }
            let Value::Object(def) = def else {
                return Err(ApiError::malformed_body());
            };
            let existing = next.get(name);
            if existing.is_none() {
                if !valid_name(name) {
                    return Err(invalid(
                        name,
                        "Property names must start with a letter and contain only letters, digits and underscores",
                    ));
                }
                if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                    return Err(invalid(name, "This name is reserved"));
                }
                let clash = BASE
                    .iter()
                    .map(|b| b.name)
                    .chain(next.keys().map(String::as_str))
                    .any(|n| n.eq_ignore_ascii_case(name));
                if clash {
                    return Err(invalid(name, "A property with this name already exists"));
                }
            }
            let mut p = merge_property(name, def, existing)?;
            let was_unique = existing.is_some_and(|e| e.unique);
            if p.unique && !was_unique && existing.is_some() && has_duplicates(name) {
                p.unique = false;
            }
            next.insert(name.clone(), p);
        }
        if next.values().filter(|p| p.unique).count() > MAX_UNIQUE {
            return Err(ApiError::validation(
                "unique",
                vec![format!(
                    "unique: A user type can have at most {MAX_UNIQUE} unique properties"
                )],
            ));
        }
        self.custom = next;
        self.last_updated = at;
        Ok(applied)
    }
}
