//! bob's named lists (`GET /company/named-lists/{name}`): list fields (department, site, …)
//! come back as item ids in machine format; this module turns a list response into an
//! id → name table and replaces ids with names in flattened records. Pure: the HTTP call is
//! in `client`.

use super::flatten::RawValue;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// One named list: item id → display name (archived items included: an employee may still
/// point at one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedList {
    names: HashMap<String, String>,
}

impl NamedList {
    /// Reads a list response. The items are under `values` or `items` (tenants differ), each
    /// with `id`, `value` or `name`, and nested `children`. `None` when the shape is not a list.
    pub fn from_response(body: &Value) -> Option<NamedList> {
        let items = body
            .get("values")
            .or_else(|| body.get("items"))
            .and_then(Value::as_array)?;
        let mut names = HashMap::new();
        collect(items, &mut names, 0);
        Some(NamedList { names })
    }

    /// The name of item `id`, if the list has it.
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    /// Number of items (children included).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the list has no items.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

fn collect(items: &[Value], names: &mut HashMap<String, String>, depth: usize) {
    if depth > 16 {
        return;
    }
    for item in items {
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => crate::model::number_text(n),
            _ => continue,
        };
        let name = ["value", "name"]
            .iter()
            .find_map(|k| item.get(*k).and_then(Value::as_str))
            .map(str::to_owned);
        if let Some(name) = name {
            names.insert(id, name);
        }
        if let Some(children) = item.get("children").and_then(Value::as_array) {
            collect(children, names, depth + 1);
        }
    }
}

/// A list id an employee record holds that its list does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownItem {
    /// The field path (`work.department`).
    pub field: String,
    /// The list name.
    pub list: String,
    /// The id found.
    pub id: String,
}

/// Replaces list ids with names in `fields`, for every configured `field path → list name`
/// whose list is in `lists`. Ids the list does not know are reported and their field removed
/// (an id must never reach Okta as a department name).
pub fn resolve(
    fields: &mut BTreeMap<String, RawValue>,
    configured: &BTreeMap<String, String>,
    lists: &HashMap<String, NamedList>,
) -> Vec<UnknownItem> {
    let mut unknown = Vec::new();
    for (field, list_name) in configured {
        let (Some(value), Some(list)) = (fields.get_mut(field), lists.get(list_name)) else {
            continue;
        };
        let mut lookup = |id: &str| -> Option<String> {
            let name = list.name_of(id).map(str::to_owned);
            if name.is_none() {
                unknown.push(UnknownItem {
                    field: field.clone(),
                    list: list_name.clone(),
                    id: id.to_owned(),
                });
            }
            name
        };
        let resolved = match value {
            RawValue::One(id) => lookup(id).map(RawValue::One),
            RawValue::Many(ids) => ids
                .iter()
                .map(|id| lookup(id))
                .collect::<Option<Vec<_>>>()
                .map(RawValue::Many),
        };
        match resolved {
            Some(names) => *value = names,
            None => {
                fields.remove(field);
            }
        }
    }
    unknown
}

#[cfg(test)]
mod tests;
