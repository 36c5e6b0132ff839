use super::*;

#[test]
fn a_schema_answer_gives_base_and_custom_attributes_with_type_length_and_uniqueness() {
    let body = serde_json::to_vec(&json!({
        "definitions": {
            "base": { "properties": {
                "login": { "type": "string", "maxLength": 100, "unique": "UNIQUE_VALIDATED" },
                "email": { "type": "string" }
            }},
            "custom": { "properties": {
                "badgeId": { "type": "integer", "unique": "NOT_UNIQUE" },
                "hrEmployeeId": { "type": "string", "unique": "UNIQUE_VALIDATED" },
                "pending": { "type": "string", "unique": "PENDING_UNIQUENESS" },
                "odd": { "type": "object" }
            }}
        }
    }))
    .unwrap();
    let schema = parse(&body).unwrap();
    let login = schema.get("login").unwrap();
    assert_eq!(login.max_length, Some(100));
    assert!(login.unique && !login.custom);
    let badge = schema.get("badgeId").unwrap();
    assert_eq!(badge.value_type, ValueType::Integer);
    assert!(badge.custom && !badge.unique);
    assert!(schema.get("hrEmployeeId").unwrap().unique);
    assert!(!schema.get("pending").unwrap().unique, "not enforced yet");
    assert_eq!(schema.get("odd").unwrap().value_type, ValueType::String);
}

#[test]
fn an_answer_without_definitions_is_a_decode_error_not_an_empty_schema() {
    assert!(matches!(parse(b"{}"), Err(Error::Decode(_))));
    assert!(matches!(parse(b"not json"), Err(Error::Decode(_))));
}

#[test]
fn the_add_body_lists_only_the_new_custom_attributes_and_never_a_null() {
    let body = add_body(&[
        NewAttribute {
            name: "hrEmployeeId".into(),
            title: "hrEmployeeId".into(),
            value_type: ValueType::String,
            unique: true,
        },
        NewAttribute {
            name: "skills".into(),
            title: "Skills".into(),
            value_type: ValueType::Array,
            unique: false,
        },
    ]);
    let props = &body["definitions"]["custom"]["properties"];
    assert_eq!(props["hrEmployeeId"]["unique"], json!("UNIQUE_VALIDATED"));
    assert_eq!(props["skills"]["items"]["type"], json!("string"));
    assert!(props["skills"].get("unique").is_none());
    assert!(body["definitions"].get("base").is_none());
    assert!(!body.to_string().contains("null"));
}
