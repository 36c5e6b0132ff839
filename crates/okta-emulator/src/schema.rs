//! The org's user schema (`/api/v1/meta/schemas/user/default`): Okta's fixed `#base`
//! properties (`base.rs`) and the `#custom` properties declared in the configuration or added
//! through the schema API (`patch.rs`), rendered in Okta's `UserSchema` shape. It answers
//! "what is this profile attribute?" for profile validation. It holds no users and does no
//! HTTP; permissions are checked by `schema_api.rs`.

mod base;
mod patch;

pub use base::{BASE, BaseProperty};

use crate::user::fmt_time;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The JSON type of a custom profile property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// A JSON string.
    #[default]
    String,
    /// `true`/`false`.
    Boolean,
    /// A 32-bit integer.
    Integer,
    /// A double.
    Number,
    /// An array of strings (the only item type the emulator models).
    Array,
}

impl PropertyType {
    /// Okta's spelling (`string`, `boolean`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Array => "array",
        }
    }

    /// Reads Okta's spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::String,
            Self::Boolean,
            Self::Integer,
            Self::Number,
            Self::Array,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// Whether Okta lets this type be unique (strings and numbers, not booleans or arrays).
    pub fn can_be_unique(self) -> bool {
        matches!(self, Self::String | Self::Integer | Self::Number)
    }
}

/// A custom property of the user schema, as tests and the configuration declare it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomProperty {
    /// The JSON type (`type`); read-only once the property exists, as in Okta.
    #[serde(rename = "type")]
    pub kind: PropertyType,
    /// Display name (`title`); the property name when `None`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Minimum length of a string.
    pub min_length: Option<u64>,
    /// Maximum length of a string.
    pub max_length: Option<u64>,
    /// `unique: "UNIQUE_VALIDATED"`: no two users may hold the same value (nulls ignored).
    pub unique: bool,
    /// The property must have a value.
    pub required: bool,
    /// Allowed values (`enum`; for an array, of its items).
    pub allowed: Option<Vec<Value>>,
    /// The `SELF` permission (`READ_WRITE`, `READ_ONLY`, `HIDE`); `READ_ONLY` when `None`.
    pub permission: Option<String>,
    /// `master.type` (`PROFILE_MASTER`, `OKTA`, `OVERRIDE`); `PROFILE_MASTER` when `None`.
    pub master: Option<String>,
}

impl CustomProperty {
    /// A property of the given type with Okta's defaults.
    pub fn new(kind: PropertyType) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// A string property.
    pub fn string() -> Self {
        Self::new(PropertyType::String)
    }

    /// An integer property.
    pub fn integer() -> Self {
        Self::new(PropertyType::Integer)
    }

    /// A number (double) property.
    pub fn number() -> Self {
        Self::new(PropertyType::Number)
    }

    /// A boolean property.
    pub fn boolean() -> Self {
        Self::new(PropertyType::Boolean)
    }

    /// An array-of-strings property.
    pub fn string_array() -> Self {
        Self::new(PropertyType::Array)
    }

    /// Makes values unique across users (`UNIQUE_VALIDATED`).
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Requires a value.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Sets the maximum string length.
    pub fn max_length(mut self, n: u64) -> Self {
        self.max_length = Some(n);
        self
    }

    /// Sets the title.
    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.to_owned());
        self
    }

    /// This property in Okta's `UserSchemaAttribute` shape.
    pub fn render(&self, name: &str) -> Value {
        let mut obj = Map::new();
        obj.insert("title".into(), json!(self.title.as_deref().unwrap_or(name)));
        if let Some(d) = &self.description {
            obj.insert("description".into(), json!(d));
        }
        obj.insert("type".into(), json!(self.kind.as_str()));
        if self.kind == PropertyType::Array {
            let mut items = Map::new();
            items.insert("type".into(), json!("string"));
            if let Some(a) = &self.allowed {
                items.insert("enum".into(), json!(a));
            }
            obj.insert("items".into(), Value::Object(items));
        } else if let Some(a) = &self.allowed {
            obj.insert("enum".into(), json!(a));
        }
        obj.insert("required".into(), json!(self.required));
        obj.insert("mutability".into(), json!("READ_WRITE"));
        obj.insert("scope".into(), json!("NONE"));
        if let Some(n) = self.min_length {
            obj.insert("minLength".into(), json!(n));
        }
        if let Some(n) = self.max_length {
            obj.insert("maxLength".into(), json!(n));
        }
        let unique = if self.unique {
            "UNIQUE_VALIDATED"
        } else {
            "NOT_UNIQUE"
        };
        obj.insert("unique".into(), json!(unique));
        let action = self.permission.as_deref().unwrap_or("READ_ONLY");
        obj.insert(
            "permissions".into(),
            json!([{ "principal": "SELF", "action": action }]),
        );
        let master = self.master.as_deref().unwrap_or("PROFILE_MASTER");
        obj.insert("master".into(), json!({ "type": master }));
        Value::Object(obj)
    }
}

/// What a profile attribute name refers to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Property<'a> {
    /// An Okta-defined base property.
    Base(&'static BaseProperty),
    /// A custom property.
    Custom(&'a CustomProperty),
}

/// The live user schema of the org.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    custom: BTreeMap<String, CustomProperty>,
    created: DateTime<Utc>,
    last_updated: DateTime<Utc>,
}

impl Default for Schema {
    fn default() -> Self {
        Self::new(BTreeMap::new(), crate::clock::millis(Utc::now()))
    }
}

/// The most unique custom properties one user type may have (Okta: 5).
pub const MAX_UNIQUE: usize = 5;

impl Schema {
    /// A schema with the given custom properties, created `at`.
    pub fn new(custom: BTreeMap<String, CustomProperty>, at: DateTime<Utc>) -> Self {
        Self {
            custom,
            created: at,
            last_updated: at,
        }
    }

    /// What `name` is, or `None` when the schema does not define it.
    pub fn property(&self, name: &str) -> Option<Property<'_>> {
        base::find(name)
            .map(Property::Base)
            .or_else(|| self.custom.get(name).map(Property::Custom))
    }

    /// The custom properties by name.
    pub fn custom(&self) -> &BTreeMap<String, CustomProperty> {
        &self.custom
    }

    /// The names of the unique custom properties.
    pub fn unique_names(&self) -> Vec<String> {
        self.custom
            .iter()
            .filter(|(_, p)| p.unique)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Adds the properties not yet defined (a configuration change); never retypes or removes.
    pub fn add_missing(&mut self, props: &BTreeMap<String, CustomProperty>, at: DateTime<Utc>) {
        for (name, p) in props {
            if self.property(name).is_none() {
                self.custom.insert(name.clone(), p.clone());
                self.last_updated = at;
            }
        }
    }

    /// The whole schema in Okta's `UserSchema` shape.
    pub fn render(&self, base_url: &str) -> Value {
        let base_props: Map<String, Value> = BASE
            .iter()
            .map(|p| (p.name.to_owned(), p.render()))
            .collect();
        let custom_props: Map<String, Value> = self
            .custom
            .iter()
            .map(|(n, p)| (n.clone(), p.render(n)))
            .collect();
        let custom_required: Vec<&String> = self
            .custom
            .iter()
            .filter(|(_, p)| p.required)
            .map(|(n, _)| n)
            .collect();
        let required: Vec<&str> = base::required().collect();
        json!({
            "id": format!("{base_url}/meta/schemas/user/{SCHEMA_ID}"),
            "$schema": "http://json-schema.org/draft-04/schema#",
            "name": "user",
            "title": "Default Okta user",
            "description": "Okta user profile template with default permission settings",
            "lastUpdated": fmt_time(&self.last_updated),
            "created": fmt_time(&self.created),
            "definitions": {
                "base": {
                    "id": "#base",
                    "type": "object",
                    "properties": base_props,
                    "required": required,
                },
                "custom": {
                    "id": "#custom",
                    "type": "object",
                    "properties": custom_props,
                    "required": custom_required,
                },
            },
            "type": "object",
            "properties": {
                "profile": {
                    "allOf": [
                        { "$ref": "#/definitions/base" },
                        { "$ref": "#/definitions/custom" },
                    ],
                },
            },
            "_links": {
                "self": {
                    "href": format!("{base_url}/api/v1/meta/schemas/user/{SCHEMA_ID}"),
                    "method": "GET",
                },
                "type": {
                    "href": format!("{base_url}/api/v1/meta/types/user/{}", crate::ids::USER_TYPE_ID),
                },
            },
        })
    }
}

/// The id of the default user type's schema (users' `_links.schema` points at it).
pub const SCHEMA_ID: &str = "osc1emulat0rSchema00";

#[cfg(test)]
mod tests;
