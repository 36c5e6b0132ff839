//! Hand-written deserializers for the raw config values that serde's derive cannot express
//! with unknown-key checks and spans: a string-or-list and `[mapping]` (templates mixed with
//! options).
//!
//! Pure serde code; no I/O.

use super::raw::{OneOrMany, RawMapping};
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
