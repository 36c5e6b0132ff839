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
