//! Profile validation as Okta's default user schema does it: known base attributes (strings,
//! with their length limits), the four required ones, the email-shaped login rule, and
//! custom attributes only when declared. Pure; no state.

use super::errors::ApiError;
use crate::wire::email_shaped;
use serde_json::{Map, Value};

/// Base attributes of Okta's default user schema with their maximum lengths (characters).
const BASE: &[(&str, usize)] = &[
    ("login", 100),
    ("email", 100),
    ("secondEmail", 100),
    ("firstName", 50),
    ("lastName", 50),
    ("middleName", 1024),
    ("honorificPrefix", 1024),
    ("honorificSuffix", 1024),
    ("title", 1024),
    ("displayName", 1024),
    ("nickName", 1024),
    ("profileUrl", 1024),
    ("primaryPhone", 100),
    ("mobilePhone", 100),
    ("streetAddress", 1024),
    ("city", 128),
    ("state", 128),
    ("zipCode", 50),
    ("countryCode", 2),
    ("postalAddress", 4096),
    ("preferredLanguage", 1024),
    ("locale", 1024),
    ("timezone", 1024),
    ("userType", 1024),
    ("employeeNumber", 1024),
    ("costCenter", 1024),
    ("organization", 1024),
    ("division", 1024),
    ("department", 1024),
    ("managerId", 1024),
    ("manager", 1024),
];

const REQUIRED: &[&str] = &["login", "email", "firstName", "lastName"];

/// The schema rules in force.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Declared custom attributes.
    pub custom: &'a [String],
    /// Default login rule (email-shaped, 5–100 characters) versus the `.+` pattern.
    pub login_must_be_email: bool,
}

fn max_len(name: &str) -> Option<usize> {
    BASE.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
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
        .filter(|k| max_len(k).is_none() && !rules.custom.iter().any(|c| c == *k))
        .map(|k| format!("Property name '{k}' is not defined in profile"))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::validation(what, unknown));
    }
    let mut causes: Vec<(String, String)> = Vec::new();
    for name in REQUIRED {
        let blank = match profile.get(*name) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        if blank {
            causes.push((
                (*name).into(),
                format!("{name}: The field cannot be left blank"),
            ));
        }
    }
    for (name, value) in profile {
        let Some(limit) = max_len(name) else { continue };
        let s = match value {
            Value::Null => continue,
            Value::String(s) => s,
            _ => {
                causes.push((
                    name.clone(),
                    format!("{name}: Does not match required type"),
                ));
                continue;
            }
        };
        if s.trim().is_empty() && REQUIRED.contains(&name.as_str()) {
            continue;
        }
        let len = s.chars().count();
        if len > limit {
            causes.push((
                name.clone(),
                format!("{name}: The field is too long (maximum length is {limit})"),
            ));
            continue;
        }
        let email_shaped = email_shaped(s);
        match name.as_str() {
            "login" if rules.login_must_be_email => {
                if len < 5 {
                    causes.push((
                        name.clone(),
                        "login: The field is too short (minimum length is 5)".into(),
                    ));
                } else if !email_shaped {
                    causes.push((
                        name.clone(),
                        "login: Username must be in the form of an email address".into(),
                    ));
                }
            }
            "email" | "secondEmail" if !email_shaped => {
                causes.push((
                    name.clone(),
                    format!("{name}: Does not match required pattern"),
                ));
            }
            "email" if len < 5 => {
                causes.push((
                    name.clone(),
                    "email: The field is too short (minimum length is 5)".into(),
                ));
            }
            _ => {}
        }
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

#[cfg(test)]
mod tests;
