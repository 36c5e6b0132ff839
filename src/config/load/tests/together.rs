//! Tests that the mistakes of `[employee]` and `[mapping]` are reported together: values
//! refused while a section deserializes, and the checks across its keys that follow.

use super::*;

#[test]
fn a_bad_template_a_missing_attribute_an_unmapped_option_and_a_bad_type_are_reported_together() {
    let text = format!(
        "{GOOD}\n[mapping]\nlogin = \"{{email|lower\"\nemail = \"{{email}}\"\nfirstName = \"{{first_name}}\"\n\n[mapping.on_empty]\ntitle = \"clear\"\n\n[mapping.types]\nemail = \"text\"\n"
    );
    let keys: Vec<String> = match load_text(&text) {
        Err(e) => e.0.iter().map(|e| e.key.clone()).collect(),
        Ok(_) => panic!("expected errors"),
    };
    assert_eq!(
        keys,
        [
            "mapping",
            "mapping.login",
            "mapping.on_empty.title",
            "mapping.types.email"
        ]
    );
}

#[test]
fn a_bad_zone_a_bad_scope_and_a_status_in_both_lists_are_reported_together() {
    let text = format!(
        "{GOOD}\n[employee]\nstatus = {{ active = [\"Active\"], inactive = [\"active\"] }}\ntimezone = {{ default = \"Mars/Olympus\" }}\nscope = \"department ==\"\n"
    );
    let keys: Vec<String> = match load_text(&text) {
        Err(e) => e.0.iter().map(|e| e.key.clone()).collect(),
        Ok(_) => panic!("expected errors"),
    };
    assert_eq!(
        keys,
        [
            "employee.status.inactive[0]",
            "employee.timezone.default",
            "employee.scope"
        ]
    );
}

#[test]
fn a_scope_mistake_is_placed_at_its_character_inside_the_string() {
    let errs = errors_of(&format!("{GOOD}\n[employee]\nscope = \"a == 'x' &&\"\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("hrsync.toml:11:19: employee.scope:"),
        "{errs:?}"
    );
}
