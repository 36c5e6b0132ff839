//! An employee's raw HR fields (dotted path → text), stored compactly: the values of one
//! record in one string, the field names shared by every record of a snapshot ([`Names`]).
//! A snapshot of 100,000 employees with a dozen fields each would otherwise hold 2.4 million
//! small allocations, and the planner's lookups would miss the cache on every key compared.
//!
//! Plain data: no I/O, no validation (the source validates before building [`Fields`]).

use super::Names;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// Records with at most this many fields are scanned rather than binary-searched: a scan of
/// 32 entries (768 bytes) comparing lengths is cheaper than five string comparisons.
const LINEAR_SCAN_MAX: usize = 32;

/// One field: its name and where its value ends in [`Fields::text`] (it starts where the
/// previous one ends).
#[derive(Clone)]
struct Entry {
    key: Arc<str>,
    end: usize,
}

/// The fields of one record, sorted by name; each name at most once.
#[derive(Clone, Default)]
pub struct Fields {
    /// Every value, concatenated in name order.
    text: Box<str>,
    entries: Box<[Entry]>,
}

impl Fields {
    /// Builds the fields from (name, value) pairs in any order; of several values for one
    /// name the last wins, as with a map.
    pub fn from_pairs<V: AsRef<str>>(pairs: impl IntoIterator<Item = (Arc<str>, V)>) -> Self {
        let mut pairs: Vec<(Arc<str>, V)> = pairs.into_iter().collect();
        // Stable: pairs of one name stay in input order, so the last is the newest.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(pairs.iter().map(|(_, v)| v.as_ref().len()).sum());
        let mut entries = Vec::with_capacity(pairs.len());
        let mut iter = pairs.into_iter().peekable();
        while let Some((key, value)) = iter.next() {
            if iter.peek().is_some_and(|(next, _)| *next == key) {
                continue;
            }
            text.push_str(value.as_ref());
            entries.push(Entry {
                key,
                end: text.len(),
            });
        }
        Self {
            text: text.into_boxed_str(),
            entries: entries.into_boxed_slice(),
        }
    }

    fn value_at(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.entries.get(p))
            .map_or(0, |e| e.end);
        let end = self.entries.get(i).map_or(start, |e| e.end);
        self.text.get(start..end).unwrap_or_default()
    }

    /// The value of a field, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        // A short record is scanned comparing the lengths held in the entries first, which
        // reads one name at most, where a binary search reads several; a long one (a HiBob
        // record flattened to a hundred fields) is searched.
        let i = if self.entries.len() <= LINEAR_SCAN_MAX {
            self.entries
                .iter()
                .position(|e| e.key.len() == key.len() && *e.key == *key)?
        } else {
            self.entries.binary_search_by(|e| (*e.key).cmp(key)).ok()?
        };
        Some(self.value_at(i))
    }

    /// Every (name, value), in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        (0..self.entries.len()).map(|i| (&*self.entries[i].key, self.value_at(i)))
    }

    /// Sets one field (rebuilds the record; for tests and rare edits, not for bulk building).
    pub fn insert(&mut self, key: &str, value: &str) {
        self.rebuild(Some((key, value)), key);
    }

    /// Removes one field (rebuilds the record).
    pub fn remove(&mut self, key: &str) {
        self.rebuild(None, key);
    }

    fn rebuild(&mut self, add: Option<(&str, &str)>, drop: &str) {
        // The kept names stay shared; values are copied into the new text.
        let kept: Vec<(Arc<str>, String)> = (0..self.entries.len())
            .filter(|&i| *self.entries[i].key != *drop)
            .map(|i| {
                (
                    Arc::clone(&self.entries[i].key),
                    self.value_at(i).to_owned(),
                )
            })
            .collect();
        let added = add.map(|(k, v)| (Arc::from(k), v.to_owned()));
        *self = Self::from_pairs(kept.into_iter().chain(added));
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Fields {
    /// Builds fields with names of their own (not shared); sources use [`Fields::from_pairs`]
    /// with one [`Names`] per snapshot instead.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut keys = Names::default();
        Self::from_pairs(iter.into_iter().map(|(k, v)| (keys.intern(k.as_ref()), v)))
    }
}

impl PartialEq for Fields {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests;
