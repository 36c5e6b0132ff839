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
mod tests {
    use super::*;
    use serde_json::json;

    fn department() -> NamedList {
        NamedList::from_response(&json!({"name":"department","values":[
            {"id":"209184700","value":"Engineering","archived":false,"children":[
                {"id":"209184712","value":"Data Platform","archived":false,"children":[]}]},
            {"id":209184799,"name":"Old Team","archived":true,"children":[]}
        ]}))
        .unwrap()
    }

    #[test]
    fn list_items_and_their_children_are_known_by_id() {
        let list = department();
        assert_eq!(list.len(), 3);
        assert_eq!(list.name_of("209184712"), Some("Data Platform"));
        assert_eq!(
            list.name_of("209184799"),
            Some("Old Team"),
            "archived, numeric id"
        );
        assert_eq!(list.name_of("1"), None);
        let items = NamedList::from_response(&json!({"items":[{"id":"1","name":"London"}]}));
        assert_eq!(items.unwrap().name_of("1"), Some("London"));
        assert_eq!(NamedList::from_response(&json!({"error":"x"})), None);
    }

    #[test]
    fn configured_list_fields_are_resolved_and_unknown_ids_reported_and_dropped() {
        let lists = HashMap::from([("department".to_owned(), department())]);
        let configured = BTreeMap::from([
            ("work.department".to_owned(), "department".to_owned()),
            ("work.custom.teams".to_owned(), "department".to_owned()),
            ("work.title".to_owned(), "title".to_owned()),
        ]);
        let mut fields = BTreeMap::from([
            (
                "work.department".to_owned(),
                RawValue::One("209184712".into()),
            ),
            (
                "work.custom.teams".to_owned(),
                RawValue::Many(vec!["209184700".into(), "209184712".into()]),
            ),
            ("work.title".to_owned(), RawValue::One("209184735".into())),
        ]);
        assert!(resolve(&mut fields, &configured, &lists).is_empty());
        assert_eq!(
            fields["work.department"],
            RawValue::One("Data Platform".into())
        );
        assert_eq!(
            fields["work.custom.teams"].clone().into_text(),
            "Engineering, Data Platform"
        );
        assert_eq!(
            fields["work.title"],
            RawValue::One("209184735".into()),
            "list not loaded"
        );

        let mut bad = BTreeMap::from([("work.department".to_owned(), RawValue::One("999".into()))]);
        let unknown = resolve(&mut bad, &configured, &lists);
        assert_eq!(
            unknown,
            vec![UnknownItem {
                field: "work.department".into(),
                list: "department".into(),
                id: "999".into()
            }]
        );
        assert!(!bad.contains_key("work.department"));
    }
}
