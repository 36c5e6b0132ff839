use super::*;
use serde_json::json;

fn rules() -> Rules<'static> {
    Rules {
        custom: &[],
        login_must_be_email: true,
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

#[test]
fn a_complete_profile_passes() {
    let p = obj(
        json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "Ada", "lastName": "K", "mobilePhone": null}),
    );
    assert!(validate(&p, rules(), "newUser").is_ok());
}

#[test]
fn missing_required_fields_each_get_a_cause() {
    let err = validate(&obj(json!({"login": "ada@x.co"})), rules(), "newUser").unwrap_err();
    assert_eq!(err.code, "E0000001");
    assert_eq!(err.summary, "Api validation failed: email");
    assert_eq!(err.causes.len(), 3);
    assert!(
        err.causes
            .contains(&"firstName: The field cannot be left blank".to_string())
    );
}

#[test]
fn an_undeclared_attribute_is_refused_unless_custom() {
    let p = obj(
        json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "A", "lastName": "K", "notValid": 1}),
    );
    let err = validate(&p, rules(), "newUser").unwrap_err();
    assert_eq!(
        err.causes,
        vec!["Property name 'notValid' is not defined in profile"]
    );
    let custom = vec!["notValid".to_string()];
    let r = Rules {
        custom: &custom,
        login_must_be_email: true,
    };
    assert!(validate(&p, r, "newUser").is_ok());
}

#[test]
fn a_login_that_is_not_an_email_is_refused_by_default_only() {
    let p = obj(json!({"login": "ada.k", "email": "ada@x.co", "firstName": "A", "lastName": "K"}));
    assert!(validate(&p, rules(), "newUser").is_err());
    let r = Rules {
        custom: &[],
        login_must_be_email: false,
    };
    assert!(validate(&p, r, "newUser").is_ok());
}

#[test]
fn an_over_long_first_name_is_refused() {
    let p = obj(
        json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "A".repeat(51), "lastName": "K"}),
    );
    let err = validate(&p, rules(), "newUser").unwrap_err();
    assert_eq!(err.summary, "Api validation failed: firstName");
}
