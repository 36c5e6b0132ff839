//! `[mapping]`: Okta attribute templates mixed with options (`login_fallbacks`,
//! `on_conflict`, `[mapping.values.<attr>]`, `[mapping.on_empty]`, `[mapping.types]`),
//! deserialized directly into [`MappingTable`]: each template parsed (a mistake placed at its
//! character), each attribute name checked, the options in their typed form (the planner's
//! own `OnConflict`, `OnEmpty` and `ValueType`). Read by hand from the table: serde's
//! `flatten` cannot be combined with unknown-key checks.
//!
//! What needs the whole file stays with the loader (`checks.rs`): the required attributes,
//! the anchor not mapped, options only for mapped attributes, where each attribute is written.
//! Pure parsing; no I/O.

use super::okta::is_attribute_name;
use super::value::{error_at, inner_span};
use crate::mapping::Template;
use crate::mapping::typed::ValueType;
use hrsync_core::policy::{OnConflict, OnEmpty};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// The attributes Okta requires to create a user; an explicit `[mapping]` must map them.
pub const REQUIRED_ATTRIBUTES: [&str; 4] = ["login", "email", "firstName", "lastName"];

/// The mapping used when `[mapping]` is absent (fits the file source's sample columns).
pub const DEFAULT_MAPPING: [(&str, &str); 12] = [
    ("login", "{email|lower}"),
    ("email", "{email|lower}"),
    ("firstName", "{first_name}"),
    ("lastName", "{last_name}"),
    ("displayName", "{first_name} {last_name}"),
    ("title", "{title}"),
    ("department", "{department}"),
    ("manager", "{manager.okta_login}"),
    ("managerId", "{manager.okta_id}"),
    ("primaryPhone", "{work_phone}"),
    ("mobilePhone", "{mobile_phone}"),
    ("userType", "{employment_type}"),
];

/// `[mapping]` as the file gives it, every value already typed.
#[derive(Debug, Clone, Default)]
pub struct MappingTable {
    /// Okta attribute → its template, e.g. `firstName = "{first_name}"`, with its place.
    pub attributes: BTreeMap<String, Spanned<Template>>,
    /// Login templates tried in order when the login is taken.
    pub login_fallbacks: Vec<Template>,
    /// `report` (default) or `adopt`.
    pub on_conflict: OnConflict,
    /// `[mapping.values.<attr>]`: template result → Okta value.
    pub values: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    /// `[mapping.on_empty]`: attribute → `keep` (default) or `clear`.
    pub on_empty: BTreeMap<Spanned<String>, OnEmpty>,
    /// `[mapping.types]`: attribute → the type `hrsync schema apply` creates it with.
    pub types: BTreeMap<Spanned<String>, ValueType>,
}

/// Parses a template; a mistake is placed at its character inside the string.
fn parse_template<E: de::Error>(text: &Spanned<String>) -> Result<Template, E> {
    Template::parse(text.get_ref()).map_err(|e| {
        error_at(
            inner_span(text, e.position).start,
            format!("template: {}", e.message),
        )
    })
}

/// A template read from the file (see [`parse_template`]).
struct Parsed(Template);

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_template(&Spanned::<String>::deserialize(d)?).map(Parsed)
    }
}

/// An Okta attribute type name (`string`, `boolean`, `integer`, `number`, `array`).
struct TypeName(ValueType);

impl<'de> Deserialize<'de> for TypeName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ValueType::parse(&text).map(TypeName).ok_or_else(|| {
            let accepted: Vec<&str> = ValueType::ALL.iter().map(|t| t.as_str()).collect();
            de::Error::custom(format!(
                "{text:?} is not an Okta attribute type; expected one of {}",
                accepted.join(", ")
            ))
        })
    }
}

impl<'de> Deserialize<'de> for MappingTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MappingTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of attribute = \"template\" entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MappingTable, A::Error> {
                let mut out = MappingTable::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "login_fallbacks" => {
                            let list: Vec<Parsed> = map.next_value()?;
                            out.login_fallbacks = list.into_iter().map(|p| p.0).collect();
                        }
                        "on_conflict" => out.on_conflict = map.next_value()?,
                        "values" => out.values = map.next_value()?,
                        "on_empty" => out.on_empty = map.next_value()?,
                        "types" => {
                            let types: BTreeMap<Spanned<String>, TypeName> = map.next_value()?;
                            out.types = types.into_iter().map(|(k, t)| (k, t.0)).collect();
                        }
                        _ => {
                            let template: Spanned<String> = map.next_value()?;
                            if !is_attribute_name(&key) {
                                let msg = format!(
                                    "{key:?} is not an Okta attribute name; expected letters, digits and _"
                                );
                                return Err(error_at(template.span().start, msg));
                            }
                            let parsed = parse_template(&template)?;
                            out.attributes
                                .insert(key, Spanned::new(template.span(), parsed));
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}
