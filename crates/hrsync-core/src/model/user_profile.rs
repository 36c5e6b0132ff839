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

    /// Keeps only the attributes whose name `keep` accepts, and frees the room of those it
    /// drops (a listing of 100,000 users reduced to the kept attributes would otherwise hold
    /// the dropped ones' slots).
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let before = self.entries.len();
        self.entries.retain(|(k, _)| keep(k));
        if self.entries.len() < before {
            self.entries.shrink_to_fit();
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
mod tests;
