//! Profile validation against the org's live user schema (`schema.rs`), as Okta does it:
//! attributes the schema does not define are refused, base attributes are strings within
//! their lengths, the four required ones (and required custom ones) must be set, the login is
//! email-shaped under the default rule, and custom attributes have their declared JSON type,
//! lengths and allowed values. Pure: uniqueness needs the other users and is checked by the
//! store.

use super::errors::ApiError;
use super::schema::{CustomProperty, Property, PropertyType, Schema};
use crate::wire::email_shaped;
use serde_json::{Map, Value};

/// The required base attributes in the order their causes are listed.
const REQUIRED: &[&str] = &["login", "email", "firstName", "lastName"];

/// The schema rules in force.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The org's user schema.
    pub schema: &'a Schema,
    /// Default login rule (email-shaped, 5–100 characters) versus the `.+` pattern.
    pub login_must_be_email: bool,
}

fn blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

fn wrong_type(name: &str) -> String {
    format!("{name}: Does not match required type")
}

/// The causes for one custom attribute value (empty when it is valid).
fn check_custom(name: &str, value: &Value, p: &CustomProperty) -> Vec<String> {
    if value.is_null() {
        return Vec::new();
    }
    let type_ok = match p.kind {
        PropertyType::String => value.is_string(),
        PropertyType::Boolean => value.is_boolean(),
        PropertyType::Integer => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        PropertyType::Number => value.is_number(),
        PropertyType::Array => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
    };
    if !type_ok {
        return vec![wrong_type(name)];
    }
    let mut causes = Vec::new();
    if let Value::String(s) = value {
        let len = u64::try_from(s.chars().count()).unwrap_or(u64::MAX);
        if let Some(max) = p.max_length
            && len > max
        {
            causes.push(format!(
                "{name}: The field is too long (maximum length is {max})"
            ));
        }
        if let Some(min) = p.min_length
            && len < min
        {
            causes.push(format!(
                "{name}: The field is too short (minimum length is {min})"
            ));
        }
    }
    if let Some(allowed) = &p.allowed {
        let ok = match value {
            Value::Array(items) => items.iter().all(|i| allowed.contains(i)),
            v => allowed.contains(v),
        };
        if !ok {
            causes.push(format!("{name}: Does not match one of the allowed values"));
        }
    }
    causes
}

/// The causes for one base attribute value (all base attributes are strings).
fn check_base(name: &str, value: &Value, max: u64, rules: Rules<'_>) -> Vec<String> {
    let s = match value {
        Value::Null => return Vec::new(),
        Value::String(s) => s,
        _ => return vec![wrong_type(name)],
    };
    if s.trim().is_empty() && REQUIRED.contains(&name) {
        return Vec::new();
    }
    let len = u64::try_from(s.chars().count()).unwrap_or(u64::MAX);
    if len > max {
        return vec![format!(
            "{name}: The field is too long (maximum length is {max})"
        )];
    }
    let email_shaped = email_shaped(s);
    match name {
        "login" if rules.login_must_be_email => {
            if len < 5 {
                vec!["login: The field is too short (minimum length is 5)".into()]
            } else if !email_shaped {
                vec!["login: Username must be in the form of an email address".into()]
            } else {
                Vec::new()
            }
        }
        "email" | "secondEmail" if !email_shaped => {
            vec![format!("{name}: Does not match required pattern")]
        }
        "email" if len < 5 => vec!["email: The field is too short (minimum length is 5)".into()],
        _ => Vec::new(),
    }
}

/// Checks a complete profile (after merging an update). `what` names the object in the
/// summary of an unknown-attribute error (`newUser` on create, `user` on update).
pub fn validate(
    profile: &Map<String, Value>,
    rules: Rules<'_>,
    what: &str,
) -> Result<(), ApiError> {
    let unknown: Vec<String> = profile
        .keys()
        .filter(|k| rules.schema.property(k).is_none())
        .map(|k| format!("Property name '{k}' is not defined in profile"))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::validation(what, unknown));
    }
    let mut causes: Vec<(String, String)> = Vec::new();
    let required_custom = rules
        .schema
        .custom()
        .iter()
        .filter(|(_, p)| p.required)
        .map(|(n, _)| n.as_str());
    for name in REQUIRED.iter().copied().chain(required_custom) {
        if blank(profile.get(name)) {
            causes.push((
                name.into(),
                format!("{name}: The field cannot be left blank"),
            ));
        }
    }
    for (name, value) in profile {
        let found = match rules.schema.property(name) {
            Some(Property::Base(b)) => check_base(name, value, b.max_length, rules),
            Some(Property::Custom(c)) => check_custom(name, value, c),
            None => Vec::new(),
        };
        causes.extend(found.into_iter().map(|c| (name.clone(), c)));
    }
    match causes.first() {
        None => Ok(()),
        Some((first, _)) => {
            let first = first.clone();
            Err(ApiError::validation(
                &first,
                causes.into_iter().map(|(_, c)| c).collect(),
            ))
        }
    }
}

/// 400 E0000001 for a login, or a value of a unique property, another user holds. The login
/// cause is Okta's documented one; for custom properties Okta documents only that the write
/// fails, so the emulator words it the same way, naming the property.
pub fn duplicate(name: &str) -> ApiError {
    ApiError::validation(
        name,
        vec![format!(
            "{name}: An object with this field already exists in the current organization"
        )],
    )
}

#[cfg(test)]
mod tests;
