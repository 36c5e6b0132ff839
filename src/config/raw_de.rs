//! Hand-written deserializers for the raw config values that serde's derive cannot express
//! with unknown-key checks and spans: a string-or-list, `[mapping]` (templates mixed with
//! options) and `[activation] create` (a string or a table).
//!
//! Pure serde code; no I/O.

use super::raw::{OneOrMany, RawCreate, RawMapping, TimeText};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use toml::Spanned;

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name or an array of field names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawMapping {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMapping;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of attribute = \"template\" entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMapping, A::Error> {
                let mut out = RawMapping::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "login_fallbacks" => out.login_fallbacks = map.next_value()?,
                        "on_conflict" => out.on_conflict = Some(map.next_value()?),
                        "values" => out.values = map.next_value()?,
                        "on_empty" => out.on_empty = map.next_value()?,
                        "types" => out.types = map.next_value()?,
                        _ => {
                            let template: Spanned<String> = map.next_value()?;
                            out.attributes.insert(key, template);
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawCreate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCreate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"on_record\" or { days_before_start = N }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCreate, E> {
                if v == "on_record" {
                    Ok(RawCreate::OnRecord)
                } else {
                    Err(E::unknown_variant(v, &["on_record"]))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCreate, A::Error> {
                let mut days = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "days_before_start" {
                        return Err(de::Error::unknown_field(&key, &["days_before_start"]));
                    }
                    days = Some(map.next_value::<i64>()?);
                }
                days.map(RawCreate::DaysBeforeStart)
                    .ok_or_else(|| de::Error::missing_field("days_before_start"))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for TimeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TimeText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time of day such as \"09:00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeText, E> {
                Ok(TimeText(v.to_owned()))
            }
            // A TOML date-time value arrives as a one-entry map holding its text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TimeText, A::Error> {
                match map.next_key::<String>()? {
                    Some(_) => Ok(TimeText(map.next_value::<String>()?)),
                    None => Err(de::Error::invalid_length(0, &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}
