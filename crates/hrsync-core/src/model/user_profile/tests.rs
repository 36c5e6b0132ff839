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
    p.insert("city", json!("Oslo"));
    p.insert("title", json!("CTO"));
    p.retain(|k| k != "city");
    let names: Vec<&str> = p.iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["login", "title"]);
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
