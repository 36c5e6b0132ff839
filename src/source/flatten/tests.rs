use super::*;
use serde_json::json;

fn flat(value: Value) -> BTreeMap<String, RawValue> {
    let mut out = BTreeMap::new();
    flatten_into(&mut out, "r".to_owned(), &value, 0);
    out
}

#[test]
fn objects_become_dotted_paths_and_nulls_and_blanks_are_absent() {
    let out = flat(
        json!({"a": {"b": 1, "c": null, "d": " "}, "e": [1, "x"], "f": [{"g": 1}], "h": true}),
    );
    assert_eq!(out["r.a.b"], RawValue::One("1".to_owned()));
    assert_eq!(
        out["r.e"],
        RawValue::Many(vec!["1".to_owned(), "x".to_owned()])
    );
    assert_eq!(out["r.h"], RawValue::One("true".to_owned()));
    assert!(!out.contains_key("r.a.c") && !out.contains_key("r.a.d") && !out.contains_key("r.f"));
}

#[test]
fn a_path_is_present_when_it_or_a_member_has_a_value() {
    let out = flat(json!({"work": {"reportsTo": {"id": "1"}}, "workX": 1}));
    assert!(has_path(&out, "r.work.reportsTo"));
    assert!(has_path(&out, "r.work.reportsTo.id"));
    assert!(!has_path(&out, "r.work.report"));
    assert!(has_path(&out, "r.workX"));
    assert!(!has_path(&out, "r.work.manager"));
}

#[test]
fn nesting_deeper_than_the_limit_is_cut_off() {
    let mut v = json!("deep");
    for _ in 0..12 {
        v = json!({ "x": v });
    }
    assert!(flat(v).is_empty());
}
