use super::*;

#[test]
fn one_name_is_allocated_once() {
    let mut names = Names::default();
    let a = names.intern("email");
    let b = names.intern("email");
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(&*a, "email");
    assert!(Arc::ptr_eq(
        &attribute_name("login"),
        &attribute_name("login")
    ));
}

#[test]
fn a_full_table_still_answers_with_equal_names() {
    let mut names = Names::default();
    for i in 0..MAX_SHARED_NAMES {
        names.intern(&format!("f{i}"));
    }
    let late = names.intern("late");
    assert_eq!(&*late, "late");
    assert!(!Arc::ptr_eq(&late, &names.intern("late")));
    assert!(Arc::ptr_eq(&names.intern("f0"), &names.intern("f0")));
}
