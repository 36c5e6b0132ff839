use super::*;

#[test]
fn values_are_found_by_name_and_listed_in_name_order() {
    let f: Fields = [("title", "CEO"), ("email", "ada@x.io"), ("id", "7")]
        .into_iter()
        .collect();
    assert_eq!(f.get("email"), Some("ada@x.io"));
    assert_eq!(f.get("id"), Some("7"));
    assert_eq!(f.get("title"), Some("CEO"));
    assert_eq!(f.get("name"), None);
    let all: Vec<_> = f.iter().collect();
    assert_eq!(all, [("email", "ada@x.io"), ("id", "7"), ("title", "CEO")]);
}

#[test]
fn long_records_are_searched_and_find_every_field() {
    let f: Fields = (0..100)
        .map(|i| (format!("f{i:03}"), i.to_string()))
        .collect();
    for i in 0..100 {
        assert_eq!(f.get(&format!("f{i:03}")), Some(i.to_string().as_str()));
    }
    assert_eq!(f.get("f100"), None);
}

#[test]
fn the_last_value_of_a_repeated_name_wins_as_in_a_map() {
    let f: Fields = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
    assert_eq!(f.iter().collect::<Vec<_>>(), [("a", "3"), ("b", "2")]);
}

#[test]
fn records_built_with_one_key_table_share_their_names() {
    let mut keys = Names::default();
    let a = Fields::from_pairs([(keys.intern("email"), "a@x.io")]);
    let b = Fields::from_pairs([(keys.intern("email"), "b@x.io")]);
    assert!(Arc::ptr_eq(&a.entries[0].key, &b.entries[0].key));
    assert_eq!(b.get("email"), Some("b@x.io"));
}

#[test]
fn insert_and_remove_edit_one_field_and_keep_the_rest() {
    let mut f: Fields = [("a", "1"), ("b", "2")].into_iter().collect();
    f.insert("b", "20");
    f.insert("c", "3");
    f.remove("a");
    let all: Vec<_> = f.iter().collect();
    assert_eq!(all, [("b", "20"), ("c", "3")]);
}

#[test]
fn empty_values_and_unicode_are_kept_exactly() {
    let f: Fields = [("n", "Zoë Ångström"), ("e", ""), ("z", "末")]
        .into_iter()
        .collect();
    assert_eq!(f.get("n"), Some("Zoë Ångström"));
    assert_eq!(f.get("e"), Some(""));
    assert_eq!(f.get("z"), Some("末"));
}

#[test]
fn fields_serialize_and_debug_print_as_a_map() {
    let f: Fields = [("b", "2"), ("a", "1")].into_iter().collect();
    assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"a":"1","b":"2"}"#);
    assert_eq!(format!("{f:?}"), r#"{"a": "1", "b": "2"}"#);
}
