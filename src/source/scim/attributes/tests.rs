use super::*;
use serde_json::json;

fn flat(user: Value) -> BTreeMap<String, String> {
    flatten_user(user.as_object().unwrap())
        .into_iter()
        .map(|(k, v)| (k, v.into_text()))
        .collect()
}

fn ada() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_URN],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "21001",
        "userName": "ada.kowalski@example.com",
        "name": {"givenName": "Ada", "familyName": "Kowalski", "formatted": "Ada Kowalski"},
        "title": "Data Engineer",
        "active": true,
        "password": "never-returned",
        "emails": [
            {"value": "ada@home.example", "type": "home"},
            {"value": "ada.kowalski@example.com", "type": "work", "primary": true}
        ],
        "phoneNumbers": [{"value": "+44 20 7946 0000", "type": "work"}],
        "addresses": [{"type": "work", "locality": "London", "country": "GB"}],
        ENTERPRISE_URN: {
            "employeeNumber": "21001",
            "department": "Data Platform",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "Zoë Ångström"}
        },
        "urn:example:params:scim:schemas:extension:acme:2.0:User": {"startDate": "2026-12-07"},
        "meta": {"resourceType": "User", "lastModified": "2026-02-03T09:15:42Z", "version": "W/\"3\""}
    })
}

#[test]
fn core_attributes_are_read_by_their_scim_paths() {
    let f = flat(ada());
    assert_eq!(f["userName"], "ada.kowalski@example.com");
    assert_eq!(f["name.givenName"], "Ada");
    assert_eq!(f["name.familyName"], "Kowalski");
    assert_eq!(f["active"], "true");
    assert_eq!(f["meta.lastModified"], "2026-02-03T09:15:42Z");
    assert!(!f.contains_key("password"), "a password is never a field");
    assert!(!f.keys().any(|k| k.starts_with("schemas")));
}

#[test]
fn multi_valued_items_are_addressed_by_type_and_by_primary() {
    let f = flat(ada());
    assert_eq!(f["emails.work"], "ada.kowalski@example.com");
    assert_eq!(f["emails.work.value"], "ada.kowalski@example.com");
    assert_eq!(f["emails.home"], "ada@home.example");
    assert_eq!(f["emails.primary"], "ada.kowalski@example.com");
    assert_eq!(f["emails"], "ada.kowalski@example.com", "the primary one");
    assert_eq!(f["phoneNumbers.work"], "+44 20 7946 0000");
    assert_eq!(f["phoneNumbers"], "+44 20 7946 0000", "the only one");
    assert_eq!(f["addresses.work.locality"], "London");
    assert!(!f.contains_key("emails.work.type") && !f.contains_key("emails.work.primary"));
}

#[test]
fn the_enterprise_extension_is_read_under_its_short_prefix_and_its_full_urn() {
    let f = flat(ada());
    assert_eq!(f["enterprise.employeeNumber"], "21001");
    assert_eq!(f["enterprise.department"], "Data Platform");
    assert_eq!(
        f["enterprise.manager.value"],
        "26118915-6090-4610-87e4-49d8ca9f808d"
    );
    assert_eq!(f[&format!("{ENTERPRISE_URN}:department")], "Data Platform");
    assert_eq!(
        f[&format!("{ENTERPRISE_URN}:manager.displayName")],
        "Zoë Ångström"
    );
    assert_eq!(
        f["urn:example:params:scim:schemas:extension:acme:2.0:User:startDate"], "2026-12-07",
        "other extensions by their full URN only"
    );
}

#[test]
fn the_first_item_of_a_type_wins_and_odd_types_are_not_keys() {
    let f = flat(json!({
        "emails": [
            {"value": "first@example.com", "type": "work"},
            {"value": "second@example.com", "type": "work"},
            {"value": "spaced@example.com", "type": "other work"},
            {"value": "dotted@example.com", "type": "a.b"}
        ]
    }));
    assert_eq!(f["emails.work"], "first@example.com");
    assert_eq!(f["emails"], "first@example.com", "no primary: the first");
    assert!(!f.contains_key("emails.primary"));
    assert!(
        !f.keys()
            .any(|k| k.contains(' ') || k.starts_with("emails.a"))
    );
}

#[test]
fn nulls_blanks_and_hostile_shapes_are_absent_without_panicking() {
    let mut deep = json!("bottom");
    for _ in 0..50 {
        deep = json!({ "x": deep });
    }
    let f = flat(json!({
        "title": null,
        "nickName": "   ",
        "emails": [null, 3, {"type": null, "value": null}],
        "urn:x": "not an object",
        "deep": deep,
        "roles": ["a", "b"]
    }));
    assert!(!f.contains_key("title") && !f.contains_key("nickName"));
    assert!(!f.contains_key("emails"));
    assert!(!f.keys().any(|k| k.starts_with("urn:x")));
    assert!(!f.keys().any(|k| k.starts_with("deep")), "{f:?}");
    assert_eq!(f["roles"], "a, b");
}
