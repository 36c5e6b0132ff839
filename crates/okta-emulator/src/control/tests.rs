use super::*;

#[test]
fn a_merge_patch_changes_only_the_given_keys() {
    let mut doc = json!({"a": {"b": 1, "c": 2}, "d": 3});
    merge(&mut doc, json!({"a": {"b": 9}}));
    assert_eq!(doc, json!({"a": {"b": 9, "c": 2}, "d": 3}));
}
