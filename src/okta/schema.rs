//! Okta's user schema (`/api/v1/meta/schemas/user/default`): reading it into the core's
//! [`UserSchema`] (each attribute's type, `maxLength`, `unique`) and adding custom
//! attributes in one partial `POST` (add only: this module never sends a property as `null`,
//! which would delete it and every user's value, and never retypes one).
//!
//! HTTP details only; what to add is decided by the caller from the mapping.

use super::client::{Call, OktaClient};
use super::counters::EndpointClass;
use super::error::Error;
use crate::mapping::typed::{AttributeSchema, UserSchema, ValueType};
use reqwest::Method;
use serde_json::{Map, Value, json};

/// The path of the default user type's schema.
const SCHEMA_PATH: &str = "api/v1/meta/schemas/user/default";

/// A custom attribute to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttribute {
    /// Its name (how it appears in a profile).
    pub name: String,
    /// Its title in Okta's Profile Editor.
    pub title: String,
    /// Its JSON type (an array holds strings).
    pub value_type: ValueType,
    /// Created `unique` (`UNIQUE_VALIDATED`): Okta refuses a second user with the value.
    pub unique: bool,
}

impl NewAttribute {
    /// The property in Okta's `UserSchemaAttribute` shape.
    fn to_json(&self) -> Value {
        let mut p = Map::new();
        p.insert("title".into(), json!(self.title));
        p.insert("type".into(), json!(self.value_type.as_str()));
        if self.value_type == ValueType::Array {
            p.insert("items".into(), json!({ "type": "string" }));
        }
        if self.unique {
            p.insert("unique".into(), json!("UNIQUE_VALIDATED"));
        }
        p.insert(
            "permissions".into(),
            json!([{ "principal": "SELF", "action": "READ_ONLY" }]),
        );
        Value::Object(p)
    }
}

/// The body of the partial `POST` that adds `attributes` (and changes nothing else).
pub fn add_body(attributes: &[NewAttribute]) -> Value {
    let properties: Map<String, Value> = attributes
        .iter()
        .map(|a| (a.name.clone(), a.to_json()))
        .collect();
    json!({
        "definitions": {
            "custom": {
                "id": "#custom",
                "type": "object",
                "properties": properties,
                "required": [],
            }
        }
    })
}

/// Reads Okta's `UserSchema` answer: the properties of `definitions.base` and
/// `definitions.custom`. A property of an unknown type is read as a string; `unique` counts
/// when Okta says `UNIQUE_VALIDATED` (or `true`), not while it is `PENDING_UNIQUENESS`.
pub fn parse(body: &[u8]) -> Result<UserSchema, Error> {
    let root: Value =
        serde_json::from_slice(body).map_err(|e| Error::Decode(format!("the user schema: {e}")))?;
    let definitions = root
        .get("definitions")
        .ok_or_else(|| Error::Decode("the user schema has no definitions".to_owned()))?;
    let mut out = UserSchema::default();
    for (section, custom) in [("base", false), ("custom", true)] {
        let Some(props) = definitions
            .get(section)
            .and_then(|d| d.get("properties"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, p) in props {
            let value_type = p
                .get("type")
                .and_then(Value::as_str)
                .and_then(ValueType::parse)
                .unwrap_or_default();
            let unique = matches!(p.get("unique"), Some(Value::String(s)) if s == "UNIQUE_VALIDATED")
                || p.get("unique") == Some(&Value::Bool(true));
            out.attributes.insert(
                name.clone(),
                AttributeSchema {
                    value_type,
                    max_length: p.get("maxLength").and_then(Value::as_u64),
                    unique,
                    custom,
                },
            );
        }
    }
    Ok(out)
}

impl OktaClient {
    /// `GET` the default user schema (one request).
    pub(super) async fn get_schema(&self) -> Result<UserSchema, Error> {
        let reply = self
            .execute(&Call {
                method: Method::GET,
                url: self.url(SCHEMA_PATH)?,
                class: EndpointClass::Other,
                body: None,
                operation: "read the user schema",
            })
            .await
            .result?;
        parse(&reply.body)
    }

    /// Adds custom attributes in one partial `POST`; answers the schema after the change.
    pub(super) async fn post_schema(
        &self,
        attributes: &[NewAttribute],
    ) -> Result<UserSchema, Error> {
        let body = add_body(attributes);
        let reply = self
            .execute(&Call {
                method: Method::POST,
                url: self.url(SCHEMA_PATH)?,
                class: EndpointClass::Other,
                body: Some(&body),
                operation: "add custom attributes to the user schema",
            })
            .await
            .result?;
        parse(&reply.body)
    }
}

#[cfg(test)]
mod tests;
