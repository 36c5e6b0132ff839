//! The `#base` subschema of Okta's default user schema: the Okta-defined profile properties
//! with their titles, lengths and formats. Data and its JSON rendering only; nothing here
//! changes at run time (Okta lets admins change only base permissions, the nullability of
//! `firstName`/`lastName` and the login pattern, none of which the emulator models).

use serde_json::{Map, Value, json};

/// One Okta-defined profile property (all are strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseProperty {
    /// The property name (`login`).
    pub name: &'static str,
    /// Okta's title (`Username`).
    pub title: &'static str,
    /// Minimum length, where Okta has one.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: u64,
    /// `format`, where Okta declares one (`email`, `uri`, …).
    pub format: Option<&'static str>,
    /// One of the four properties Okta requires.
    pub required: bool,
}

const fn prop(name: &'static str, title: &'static str, max_length: u64) -> BaseProperty {
    BaseProperty {
        name,
        title,
        min_length: None,
        max_length,
        format: None,
        required: false,
    }
}

const fn fmt(mut p: BaseProperty, format: &'static str) -> BaseProperty {
    p.format = Some(format);
    p
}

const fn req(mut p: BaseProperty, min: u64) -> BaseProperty {
    p.required = true;
    p.min_length = Some(min);
    p
}

/// The base properties in Okta's order. Lengths: `UserSchemaDefaultResponse` in Okta's spec
/// (login 5–100, first/last name 1–50) and the former Users API reference (email 5–100,
/// secondEmail/phones ≤100, streetAddress ≤1024, city/state ≤128, zipCode ≤50, countryCode 2,
/// postalAddress ≤4096). For the rest no limit is documented; the emulator caps them at 1024
/// characters and says so in the schema it returns.
pub const BASE: &[BaseProperty] = &[
    req(prop("login", "Username", 100), 5),
    req(prop("firstName", "First name", 50), 1),
    req(prop("lastName", "Last name", 50), 1),
    prop("middleName", "Middle name", 1024),
    prop("honorificPrefix", "Honorific prefix", 1024),
    prop("honorificSuffix", "Honorific suffix", 1024),
    req(fmt(prop("email", "Primary email", 100), "email"), 5),
    prop("title", "Title", 1024),
    prop("displayName", "Display name", 1024),
    prop("nickName", "Nickname", 1024),
    fmt(prop("profileUrl", "Profile Url", 1024), "uri"),
    fmt(prop("secondEmail", "Secondary email", 100), "email"),
    prop("mobilePhone", "Mobile phone", 100),
    prop("primaryPhone", "Primary phone", 100),
    prop("streetAddress", "Street address", 1024),
    prop("city", "City", 128),
    prop("state", "State", 128),
    prop("zipCode", "Zip code", 50),
    fmt(prop("countryCode", "Country code", 2), "country-code"),
    prop("postalAddress", "Postal Address", 4096),
    fmt(
        prop("preferredLanguage", "Preferred language", 1024),
        "language-code",
    ),
    fmt(prop("locale", "Locale", 1024), "locale"),
    fmt(prop("timezone", "Time zone", 1024), "timezone"),
    prop("userType", "User type", 1024),
    prop("employeeNumber", "Employee number", 1024),
    prop("costCenter", "Cost center", 1024),
    prop("organization", "Organization", 1024),
    prop("division", "Division", 1024),
    prop("department", "Department", 1024),
    prop("managerId", "ManagerId", 1024),
    prop("manager", "Manager", 1024),
];

/// The base property called `name` (exact, case-sensitive), if any.
pub fn find(name: &str) -> Option<&'static BaseProperty> {
    BASE.iter().find(|p| p.name == name)
}

/// The names of the required base properties, in Okta's order.
pub fn required() -> impl Iterator<Item = &'static str> {
    BASE.iter().filter(|p| p.required).map(|p| p.name)
}

impl BaseProperty {
    /// This property in Okta's `UserSchemaAttribute` shape.
    pub fn render(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("title".into(), json!(self.title));
        obj.insert("type".into(), json!("string"));
        if self.required {
            obj.insert("required".into(), json!(true));
        }
        if let Some(f) = self.format {
            obj.insert("format".into(), json!(f));
        }
        obj.insert("mutability".into(), json!("READ_WRITE"));
        obj.insert("scope".into(), json!("NONE"));
        if let Some(min) = self.min_length {
            obj.insert("minLength".into(), json!(min));
        }
        obj.insert("maxLength".into(), json!(self.max_length));
        // Unverified detail: the emulator marks login (unique in every org) as
        // UNIQUE_VALIDATED and every other base property NOT_UNIQUE.
        let unique = if self.name == "login" {
            "UNIQUE_VALIDATED"
        } else {
            "NOT_UNIQUE"
        };
        obj.insert("unique".into(), json!(unique));
        obj.insert(
            "permissions".into(),
            json!([{ "principal": "SELF", "action": "READ_WRITE" }]),
        );
        obj.insert("master".into(), json!({ "type": "PROFILE_MASTER" }));
        Value::Object(obj)
    }
}
