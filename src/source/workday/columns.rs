//! Turns one `Report_Entry` row of a Workday RaaS JSON report into fields: each column under
//! its hrsync name from `[source.columns]` (hrsync name = report column), or under its own
//! name when unmapped. The report author chooses the columns, so this is the only place they
//! are renamed. Values, as documented in `config/hrsync.workday.toml`:
//!
//! - a string, number or boolean: its text (numbers in integer form when whole);
//! - an object (a reference with its descriptor and ids, a group): `column.key` per member;
//! - a multi-valued column (an array): `column` is every item's text joined with `"; "`
//!   (Workday descriptors often hold commas: `"Kowalski, Ada"`), `column.1`, `column.2`, …
//!   each item (1-based); for items that are objects (a multi-instance group),
//!   `column.<key>` joins that member of every item and `column.<n>.<key>` is one item's
//!   (`column` itself is the joined text only when every item has a single member).
//!
//! Nulls and blank strings are absent (a value the Integration System User may not see is
//! left out by Workday, and must not look like a cleared one). Pure: no I/O.

use crate::source::flatten::{MAX_DEPTH, RawValue, flatten_into, scalar_text};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Most items of one multi-valued column read (the rest are ignored).
pub const MAX_ITEMS: usize = 100;

/// The separator of a multi-valued column's items in its one-text form.
pub const ITEM_SEPARATOR: &str = "; ";

/// Report column → hrsync field name, from `[source.columns]` (hrsync name → column).
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    by_column: BTreeMap<String, String>,
}

impl ColumnMap {
    /// The map of `[source.columns]` (`hrsync name = "Report_Column"`).
    pub fn new(columns: &BTreeMap<String, String>) -> Self {
        let by_column = columns
            .iter()
            .map(|(name, column)| (column.trim().to_owned(), name.clone()))
            .collect();
        Self { by_column }
    }

    /// The hrsync name of a report column.
    pub fn name_of<'a>(&'a self, column: &'a str) -> &'a str {
        self.by_column.get(column).map_or(column, String::as_str)
    }

    /// The report column read under an hrsync field name, if it is mapped.
    pub fn column_of(&self, name: &str) -> Option<&str> {
        self.by_column
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(c, _)| c.as_str())
    }
}

/// Flattens one row (see the module doc).
pub fn flatten_row(row: &Map<String, Value>, columns: &ColumnMap) -> BTreeMap<String, String> {
    let mut raw: BTreeMap<String, RawValue> = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for (column, value) in row {
        let name = columns.name_of(column.trim()).to_owned();
        match value {
            Value::Array(items) => multi_valued(&mut texts, &name, items),
            other => flatten_into(&mut raw, name, other, 0),
        }
    }
    for (k, v) in raw {
        texts.entry(k).or_insert_with(|| v.into_text());
    }
    texts
}

fn multi_valued(out: &mut BTreeMap<String, String>, name: &str, items: &[Value]) {
    let items: Vec<&Value> = items
        .iter()
        .filter(|v| !v.is_null())
        .take(MAX_ITEMS)
        .collect();
    let mut whole: Vec<String> = Vec::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut mixed = false;
    for (index, item) in items.iter().enumerate() {
        let at = format!("{name}.{}", index + 1);
        match item {
            Value::Object(object) => {
                let mut one: BTreeMap<String, RawValue> = BTreeMap::new();
                for (key, inner) in object {
                    flatten_into(&mut one, key.clone(), inner, MAX_DEPTH.saturating_sub(3));
                }
                let mut parts = Vec::new();
                for (key, value) in one {
                    let text = value.into_text();
                    members.entry(key.clone()).or_default().push(text.clone());
                    out.insert(format!("{at}.{key}"), text.clone());
                    parts.push(text);
                }
                // An item of one member (`{"Email": "…"}`) is that member's text; an item of
                // several has no one text (read its members as `column.<key>`).
                match &parts[..] {
                    [only] => whole.push(only.clone()),
                    [] => {}
                    _ => mixed = true,
                }
            }
            Value::Array(_) => {}
            scalar => {
                if let Some(text) = scalar_text(scalar) {
                    out.insert(at, text.clone());
                    whole.push(text);
                }
            }
        }
    }
    for (key, values) in members {
        out.insert(format!("{name}.{key}"), values.join(ITEM_SEPARATOR));
    }
    if !whole.is_empty() && !mixed {
        out.insert(name.to_owned(), whole.join(ITEM_SEPARATOR));
    }
}

#[cfg(test)]
mod tests;
