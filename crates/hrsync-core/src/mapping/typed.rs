//! Typed attribute values: Okta's user schema as the planner sees it (each attribute's JSON
//! type, maximum length and uniqueness), the conversion of a rendered template's text to that
//! type, the comparison of typed values, and what the schema lacks for a mapping (the
//! attributes a run must not write, and what `hrsync schema apply` would add).
//!
//! Pure: it never reads the schema (the root does, and fills [`UserSchema`]), and it never
//! decides lifecycle or identity.

use crate::policy::{AttributeMapping, MappingConfig};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The JSON type of a profile attribute, as Okta's schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum ValueType {
    /// A JSON string (the default).
    #[default]
    String,
    /// `true` / `false`.
    Boolean,
    /// A 32-bit integer.
    Integer,
    /// A double.
    Number,
    /// An array of strings.
    Array,
}

impl ValueType {
    /// Every type, in Okta's order of the documentation.
    pub const ALL: [ValueType; 5] = [
        Self::String,
        Self::Boolean,
        Self::Integer,
        Self::Number,
        Self::Array,
    ];

    /// Okta's spelling (`string`, `boolean`, `integer`, `number`, `array`).
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
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether Okta lets an attribute of this type be unique (not booleans or arrays).
    pub fn can_be_unique(self) -> bool {
        matches!(self, Self::String | Self::Integer | Self::Number)
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One attribute of Okta's user schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttributeSchema {
    /// Its JSON type.
    pub value_type: ValueType,
    /// The longest string Okta accepts (`maxLength`), when limited.
    pub max_length: Option<u64>,
    /// Okta refuses a second user with the same value (`UNIQUE_VALIDATED`).
    pub unique: bool,
    /// A custom attribute (`#custom`) rather than one of Okta's base attributes.
    pub custom: bool,
}

/// Okta's user schema (the default user type), base and custom attributes by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSchema {
    /// Attribute name → its description.
    pub attributes: BTreeMap<String, AttributeSchema>,
}

/// A mapped attribute the schema does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingAttribute {
    /// The attribute's name.
    pub name: String,
    /// Where the mapping writes it (`hrsync.toml:31`), when known.
    pub origin: Option<String>,
    /// The type `[mapping.types]` gives it (string by default).
    pub value_type: ValueType,
    /// It is the anchor attribute (`schema apply` creates it unique).
    pub anchor: bool,
}

impl fmt::Display for MissingAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.origin, self.anchor) {
            (_, true) => write!(f, "{} (okta.anchor_attribute)", self.name),
            (Some(origin), false) => write!(f, "{} (mapping.{} at {origin})", self.name, self.name),
            (None, false) => write!(f, "{} (mapping.{})", self.name, self.name),
        }
    }
}

impl UserSchema {
    /// The description of `name`, if the schema defines it.
    pub fn get(&self, name: &str) -> Option<&AttributeSchema> {
        self.attributes.get(name)
    }

    /// The attributes a mapping writes (every mapped attribute and the anchor) that this
    /// schema lacks, in name order: a run must write none of them.
    pub fn missing(&self, mapping: &MappingConfig, anchor: &str) -> Vec<MissingAttribute> {
        let mut out: Vec<MissingAttribute> = mapping
            .attributes
            .keys()
            .filter(|name| !self.attributes.contains_key(*name))
            .map(|name| MissingAttribute {
                name: name.clone(),
                origin: mapping.origins.get(name).cloned(),
                value_type: mapping.types.get(name).copied().unwrap_or_default(),
                anchor: false,
            })
            .collect();
        if !self.attributes.contains_key(anchor) && !mapping.attributes.contains_key(anchor) {
            out.push(MissingAttribute {
                name: anchor.to_owned(),
                origin: None,
                value_type: ValueType::String,
                anchor: true,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// The attributes a mapping writes that Okta's user schema lacks: a run stops before any
/// write (every create would fail with `Property name '…' is not defined in profile`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the mapping writes {} that Okta's user schema does not define: {}; nothing was written. Add {} in Okta's Profile Editor (Directory → Profile Editor → User (default) → Add Attribute), or run `hrsync schema plan` and `hrsync schema apply` (needs a Super or Org Admin token, or the okta.schemas.manage scope)",
    if .0.len() == 1 { "an attribute" } else { "attributes" },
    list(.0),
    if .0.len() == 1 { "it" } else { "them" }
)]
pub struct MissingAttributes(pub Vec<MissingAttribute>);

fn list(missing: &[MissingAttribute]) -> String {
    missing
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl MappingConfig {
    /// This mapping with each attribute typed by `schema` (an attribute the schema lacks stays
    /// an unchecked string: a run stops before writing it, see [`UserSchema::missing`]).
    pub fn typed_by(&self, schema: &UserSchema) -> MappingConfig {
        let mut out = self.clone();
        for (name, attr) in &mut out.attributes {
            attr.schema = schema.get(name).copied();
        }
        out
    }
}

/// Why a rendered value cannot be given the schema's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("value {value:?} {why}")]
pub struct TypeError {
    /// The rendered text.
    pub value: String,
    /// What is wrong, naming the type (`is not an integer (the Okta schema types it integer)`).
    pub why: String,
}

fn refuse(text: &str, why: String) -> TypeError {
    TypeError {
        value: text.to_owned(),
        why,
    }
}

/// Checks a string value against the schema's `maxLength`.
pub fn check_length(text: &str, schema: &AttributeSchema) -> Result<(), TypeError> {
    let Some(max) = schema.max_length else {
        return Ok(());
    };
    let len = text.chars().count() as u64;
    if len > max {
        return Err(refuse(
            text,
            format!("is {len} characters long; the Okta schema allows at most {max} (maxLength)"),
        ));
    }
    Ok(())
}

/// Converts a rendered template's text to the attribute's type: `"42"` → `42` for an
/// integer (32-bit, as Okta's), `"true"`/`"false"` (any case) → a boolean, a decimal → a
/// number, comma-separated items → an array of strings (trimmed, empty items dropped);
/// strings stay strings (checked against `maxLength`).
pub fn convert(text: &str, schema: &AttributeSchema) -> Result<Value, TypeError> {
    let trimmed = text.trim();
    let not = |what: &str| {
        refuse(
            text,
            format!(
                "is not {what} (the Okta schema types this attribute {})",
                schema.value_type
            ),
        )
    };
    match schema.value_type {
        ValueType::String => {
            check_length(text, schema)?;
            Ok(Value::String(text.to_owned()))
        }
        ValueType::Boolean => {
            if trimmed.eq_ignore_ascii_case("true") {
                Ok(Value::Bool(true))
            } else if trimmed.eq_ignore_ascii_case("false") {
                Ok(Value::Bool(false))
            } else {
                Err(not("true or false"))
            }
        }
        ValueType::Integer => {
            let n: i64 = trimmed.parse().map_err(|_| not("an integer"))?;
            i32::try_from(n).map_err(|_| not("a 32-bit integer"))?;
            Ok(Value::from(n))
        }
        ValueType::Number => {
            if let Ok(n) = trimmed.parse::<i64>() {
                return Ok(Value::from(n));
            }
            match trimmed.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Value::from(x)),
                _ => Err(not("a number")),
            }
        }
        ValueType::Array => {
            let items = trimmed
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    check_length(s, schema)?;
                    Ok(Value::String(s.to_owned()))
                })
                .collect::<Result<Vec<_>, TypeError>>()?;
            Ok(Value::Array(items))
        }
    }
}

/// Whether a wanted value equals the one Okta holds: numbers compare by value (`42` equals
/// `42.0`), arrays item by item, everything else exactly.
pub fn same(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        _ => want == have,
    }
}

/// Whether values of this mapped attribute need converting (anything but an unlimited
/// string, which is sent as rendered).
pub fn needs_conversion(mapping: &AttributeMapping) -> bool {
    mapping
        .schema
        .is_some_and(|s| s.value_type != ValueType::String || s.max_length.is_some())
}

#[cfg(test)]
mod tests;
