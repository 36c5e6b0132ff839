use super::*;
use crate::plan::testkit::{EmpExt, attr, emp, mapping};

#[test]
fn the_desired_profile_renders_every_mapped_attribute() {
    let e = emp("1", "Zoë", "Ångström");
    let p = desired_profile(&mapping(), &MappingContext::alone(&e)).unwrap();
    assert_eq!(p.attributes["firstName"], Desired::Set("Zoë".into()));
    assert_eq!(
        p.attributes["login"],
        Desired::Set("zoe.angstrom@example.com".into())
    );
    assert!(p.pending.is_empty());
}

#[test]
fn errors_name_the_employee_and_the_attribute() {
    let mut m = mapping();
    m.attributes
        .insert("start".into(), attr("{start|date:%d.%m.%Y}"));
    let e = emp("42", "Ada", "L").with("start", "31/12/2026");
    let err = desired_profile(&m, &MappingContext::alone(&e)).unwrap_err();
    assert_eq!(err.employee.as_str(), "42");
    assert_eq!(err.attribute, "start");
    assert!(
        err.to_string()
            .starts_with("employee 42: attribute start: field start"),
        "{err}"
    );
}

#[test]
fn manager_okta_fields_are_pending_while_the_manager_is_not_in_okta() {
    let mut m = mapping();
    m.attributes
        .insert("managerId".into(), attr("{manager.okta_id}"));
    m.attributes
        .insert("manager".into(), attr("{manager.okta_login}"));
    let boss = emp("9", "Grace", "Hopper");
    let e = emp("1", "Ada", "L").managed_by("9");
    let ctx = MappingContext {
        employee: &e,
        has_manager: true,
        manager: Some(&boss),
        manager_okta: ManagerOkta {
            login: Some("grace@example.com"),
            id: None,
        },
    };
    let p = desired_profile(&m, &ctx).unwrap();
    assert_eq!(p.pending, ["managerId"]);
    assert_eq!(
        p.attributes["manager"],
        Desired::Set("grace@example.com".into())
    );
    assert!(!p.attributes.contains_key("managerId"));
}

#[test]
fn referenced_fields_lists_each_field_once() {
    let mut m = mapping();
    m.attributes
        .insert("manager".into(), attr("{manager.email}"));
    assert_eq!(
        referenced_fields(&m),
        [
            "department",
            "email",
            "first_name",
            "last_name",
            "manager.email"
        ]
    );
}
