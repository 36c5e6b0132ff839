//! The profile of an Okta user as read from Okta, stored compactly: attributes sorted by name
//! in one allocation, names shared between users ([`super::attribute_name`]). A listing of
//! 100,000 users would otherwise hold a map node and a name allocation per attribute per user.
//!
//! Plain data, no I/O. Profiles hrsync *sends* (creates, updates) stay [`super::Profile`] maps.

use super::Profile;
use super::names::attribute_name;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// An Okta user's profile: attribute name → JSON value, sorted by name, each name once.
#[derive(Clone, Default, PartialEq)]
pub struct UserProfile {
    entries: Vec<(Arc<str>, Value)>,
}

impl UserProfile {
    /// Builds a profile from (name, value) pairs in any order; of several values for one
    /// name the last wins, as with a map.
    fn from_entries(mut entries: Vec<(Arc<str>, Value)>) -> Self {
        // Stable: values of one name stay in input order, so the last is the newest.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Arc<str>, Value)> = Vec::with_capacity(entries.len());
        for (name, value) in entries {
            match out.last_mut() {
                Some(last) if last.0 == name => last.1 = value,
                _ => out.push((name, value)),
            }
        }
        Self { entries: out }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| (**k).cmp(name))
    }

    /// The value of an attribute, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let i = self.position(name).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// Every (name, value), in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// Sets an attribute.
    pub fn insert(&mut self, name: &str, value: Value) {
        match self.position(name) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.entries.insert(i, (attribute_name(name), value)),
        }
    }

    /// Removes an attribute, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.position(name).ok()?;
        Some(self.entries.remove(i).1)
    }
}

impl From<Profile> for UserProfile {
    fn from(map: Profile) -> Self {
        // A map is sorted and unique already.
        Self {
            entries: map
                .into_iter()
                .map(|(k, v)| (attribute_name(&k), v))
                .collect(),
        }
    }
}

impl fmt::Debug for UserProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for UserProfile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for UserProfile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ProfileVisitor)
    }
}

struct ProfileVisitor;

impl<'de> Visitor<'de> for ProfileVisitor {
    type Value = UserProfile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of profile attributes")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UserProfile, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(name) = map.next_key::<Name>()? {
            entries.push((name.0, map.next_value::<Value>()?));
        }
        Ok(UserProfile::from_entries(entries))
    }
}

/// An attribute name, shared through [`attribute_name`] without an allocation per read.
struct Name(Arc<str>);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = Name;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name, E> {
        Ok(Name(attribute_name(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map_of(p: &UserProfile) -> Profile {
        p.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect()
    }

    #[test]
    fn a_profile_reads_from_json_sorted_and_finds_values_by_name() {
        let p: UserProfile =
            serde_json::from_value(json!({"login": "a@x.io", "employeeNumber": 7, "title": null}))
                .unwrap();
        assert_eq!(p.get("login"), Some(&json!("a@x.io")));
        assert_eq!(p.get("employeeNumber"), Some(&json!(7)));
        assert_eq!(p.get("title"), Some(&Value::Null));
        assert_eq!(p.get("email"), None);
        let names: Vec<&str> = p.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["employeeNumber", "login", "title"]);
    }

    #[test]
    fn a_repeated_name_keeps_its_last_value_as_a_map_would() {
        let p: UserProfile = serde_json::from_str(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(
            map_of(&p),
            Profile::from([("a".into(), json!(3)), ("b".into(), json!(2))])
        );
    }

    #[test]
    fn two_users_share_their_attribute_names() {
        let a: UserProfile = serde_json::from_str(r#"{"login": "a@x.io"}"#).unwrap();
        let b: UserProfile = serde_json::from_str(r#"{"login": "b@x.io"}"#).unwrap();
        assert!(Arc::ptr_eq(&a.entries[0].0, &b.entries[0].0));
    }

    #[test]
    fn insert_replace_and_remove_keep_the_order() {
        let mut p = UserProfile::default();
        p.insert("login", json!("a@x.io"));
        p.insert("department", json!("R&D"));
        p.insert("login", json!("b@x.io"));
        assert_eq!(p.remove("department"), Some(json!("R&D")));
        assert_eq!(p.remove("department"), None);
        assert_eq!(
            map_of(&p),
            Profile::from([("login".into(), json!("b@x.io"))])
        );
    }

    #[test]
    fn a_profile_round_trips_through_json_and_from_a_map() {
        let map = Profile::from([
            ("b".to_owned(), json!(true)),
            ("a".to_owned(), json!(["x", "y"])),
        ]);
        let p = UserProfile::from(map.clone());
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"a": ["x", "y"], "b": true})
        );
        assert_eq!(map_of(&p), map);
        assert_eq!(
            format!("{p:?}"),
            r#"{"a": Array [String("x"), String("y")], "b": Bool(true)}"#
        );
    }

    #[test]
    fn a_profile_that_is_not_an_object_is_refused() {
        assert!(serde_json::from_str::<UserProfile>("[1, 2]").is_err());
    }
}
