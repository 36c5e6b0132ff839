//! The user schema API over HTTP: Okta's `UserSchema` shape, the partial `POST` that adds,
//! merges and removes custom properties, who may write it, and user writes validated against
//! the live schema (unknown attribute, wrong type, too long, duplicate unique value).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use okta_emulator::{ApiToken, CustomProperty, EmulatorConfig};
use reqwest::Method;
use serde_json::{Value, json};

const SCHEMA: &str = "/api/v1/meta/schemas/user/default";

fn add(props: Value) -> Value {
    json!({"definitions": {"custom": {"id": "#custom", "type": "object", "properties": props, "required": []}}})
}

#[tokio::test]
async fn the_default_schema_comes_in_okta_shape_with_the_base_and_custom_properties() {
    let env = start_with(EmulatorConfig::default().custom_attributes(["badgeId"])).await;
    let v = env.json(SCHEMA).await;
    assert_eq!(v["name"], "user");
    assert_eq!(v["type"], "object");
    assert!(
        v["id"]
            .as_str()
            .unwrap()
            .ends_with("/meta/schemas/user/osc1emulat0rSchema00")
    );
    assert_eq!(
        v["definitions"]["base"]["required"],
        json!(["login", "firstName", "lastName", "email"])
    );
    let login = &v["definitions"]["base"]["properties"]["login"];
    assert_eq!(login["title"], "Username");
    assert_eq!(login["minLength"], 5);
    let badge = &v["definitions"]["custom"]["properties"]["badgeId"];
    assert_eq!(badge["type"], "string");
    assert_eq!(badge["unique"], "NOT_UNIQUE");
    assert_eq!(badge["scope"], "NONE");
    assert_eq!(badge["mutability"], "READ_WRITE");
    // A user's `_links.schema` points at the same schema.
    let u = env.create(user("ada@example.com", json!({}))).await;
    let href = u["_links"]["schema"]["href"].as_str().unwrap().to_owned();
    let path = href.strip_prefix(&env.emu.base_url()).unwrap();
    assert_eq!(env.json(path).await["definitions"], v["definitions"]);
    let (status, code, _, _) = error(
        env.get("/api/v1/meta/schemas/user/osc0000000000000nope")
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (404, "E0000007"));
}

#[tokio::test]
async fn a_partial_post_adds_custom_properties_and_answers_the_whole_schema() {
    let env = start_with(EmulatorConfig::default()).await;
    let r = env
        .post(SCHEMA, add(json!({
            "hrEmployeeId": {"title": "HR id", "type": "string", "maxLength": 16, "unique": "UNIQUE_VALIDATED"},
            "floor": {"title": "Floor", "type": "integer"},
            "remote": {"title": "Remote", "type": "boolean"},
            "fte": {"title": "FTE", "type": "number"},
            "skills": {"title": "Skills", "type": "array", "items": {"type": "string"}},
        })))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["definitions"]["base"]["properties"]["login"].is_object());
    let custom = &v["definitions"]["custom"]["properties"];
    assert_eq!(custom.as_object().unwrap().len(), 5);
    assert_eq!(custom["hrEmployeeId"]["unique"], "UNIQUE_VALIDATED");
    assert_eq!(custom["skills"]["items"]["type"], "string");
    // A second partial POST keeps what the first added.
    env.post(
        SCHEMA,
        add(json!({"badge": {"title": "Badge", "type": "string"}})),
    )
    .await;
    assert_eq!(
        env.json(SCHEMA).await["definitions"]["custom"]["properties"]
            .as_object()
            .unwrap()
            .len(),
        6
    );
    let u = env
        .create(user("ada@example.com", json!({"hrEmployeeId": "E1", "floor": 3, "remote": true, "fte": 0.5, "skills": ["rust"]})))
        .await;
    assert_eq!(u["profile"]["floor"], 3);
    assert_eq!(u["profile"]["skills"], json!(["rust"]));
}

#[tokio::test]
async fn a_type_change_is_refused_with_e0000001_and_the_property_stays() {
    let env =
        start_with(EmulatorConfig::default().custom_property("floor", CustomProperty::integer()))
            .await;
    let (status, code, summary, cause) = error(
        env.post(
            SCHEMA,
            add(json!({"floor": {"title": "Floor", "type": "string"}})),
        )
        .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "E0000001"));
    assert_eq!(summary, "Api validation failed: floor");
    assert!(
        cause.starts_with("floor: The type of an existing property cannot be changed"),
        "{cause}"
    );
    assert_eq!(
        env.json(SCHEMA).await["definitions"]["custom"]["properties"]["floor"]["type"],
        "integer"
    );
}

#[tokio::test]
async fn null_removes_a_custom_property_and_its_values_from_every_user() {
    let env = start_with(EmulatorConfig::default().custom_attributes(["badge"])).await;
    let u = env
        .create(user("ada@example.com", json!({"badge": "B-1"})))
        .await;
    let r = env.post(SCHEMA, add(json!({"badge": null}))).await;
    assert_eq!(r.status(), 200);
    let got = env
        .json(&format!("/api/v1/users/{}", u["id"].as_str().unwrap()))
        .await;
    assert!(got["profile"].get("badge").is_none(), "{got}");
    let (status, _, _, cause) = error(
        env.create_raw(user("bob@example.com", json!({"badge": "B-2"})))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(cause, "Property name 'badge' is not defined in profile");
}

#[tokio::test]
async fn only_a_super_or_org_admin_token_may_change_the_schema_and_anyone_may_read_it() {
    let mut config = EmulatorConfig::default().token(ApiToken {
        token: "ro".into(),
        read_only: true,
        share: None,
    });
    config.token_owner_roles = vec!["HELP_DESK_ADMIN".into()];
    let env = start_with(config).await;
    let body = add(json!({"badge": {"title": "Badge", "type": "string"}}));
    let (status, code, _, _) = error(env.post(SCHEMA, body.clone()).await).await;
    assert_eq!((status, code.as_str()), (403, "E0000006"));
    let (status, code, _, _) = error(
        env.send(Method::POST, SCHEMA, "ro", Some(body.clone()))
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (403, "E0000006"));
    assert_eq!(
        env.send(Method::GET, SCHEMA, "ro", None).await.status(),
        200
    );
    env.emu
        .update_config(|c| c.token_owner_roles = vec!["ORG_ADMIN".into()]);
    assert_eq!(env.post(SCHEMA, body).await.status(), 200);
}

#[tokio::test]
async fn user_writes_are_validated_against_the_live_schema() {
    let env = start_with(
        EmulatorConfig::default()
            .custom_property("badge", CustomProperty::string().max_length(5))
            .custom_property("floor", CustomProperty::integer()),
    )
    .await;
    let (s, code, summary, cause) = error(
        env.create_raw(user("a@example.com", json!({"notValid": "x"})))
            .await,
    )
    .await;
    assert_eq!(
        (s, code.as_str(), summary.as_str()),
        (400, "E0000001", "Api validation failed: newUser")
    );
    assert_eq!(cause, "Property name 'notValid' is not defined in profile");
    let (s, _, summary, cause) = error(
        env.create_raw(user("a@example.com", json!({"floor": "3"})))
            .await,
    )
    .await;
    assert_eq!((s, summary.as_str()), (400, "Api validation failed: floor"));
    assert_eq!(cause, "floor: Does not match required type");
    let (s, _, _, cause) = error(
        env.create_raw(user("a@example.com", json!({"badge": "B-12345"})))
            .await,
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(cause, "badge: The field is too long (maximum length is 5)");
    let u = env.create(user("a@example.com", json!({"floor": 2}))).await;
    let id = u["id"].as_str().unwrap();
    let (s, _, summary, _) = error(
        env.post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"floor": true}}),
        )
        .await,
    )
    .await;
    assert_eq!((s, summary.as_str()), (400, "Api validation failed: floor"));
    let (s, _, summary, cause) = error(
        env.post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"desk": "1"}}),
        )
        .await,
    )
    .await;
    assert_eq!((s, summary.as_str()), (400, "Api validation failed: user"));
    assert_eq!(cause, "Property name 'desk' is not defined in profile");
    // A property added through the API is accepted at once.
    env.post(
        SCHEMA,
        add(json!({"desk": {"title": "Desk", "type": "string"}})),
    )
    .await;
    assert_eq!(
        env.post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"desk": "1"}})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn a_duplicate_value_of_a_unique_property_fails_create_and_update_but_null_never_clashes() {
    let env = start_with(
        EmulatorConfig::default()
            .custom_property("hrEmployeeId", CustomProperty::string().unique()),
    )
    .await;
    let a = env
        .create(user("a@example.com", json!({"hrEmployeeId": "E1"})))
        .await;
    let (s, code, summary, cause) = error(
        env.create_raw(user("b@example.com", json!({"hrEmployeeId": "e1"})))
            .await,
    )
    .await;
    assert_eq!(
        (s, code.as_str(), summary.as_str()),
        (400, "E0000001", "Api validation failed: hrEmployeeId")
    );
    assert_eq!(
        cause,
        "hrEmployeeId: An object with this field already exists in the current organization"
    );
    let b = env
        .create(user("b@example.com", json!({"hrEmployeeId": "E2"})))
        .await;
    env.create(user("c@example.com", json!({"hrEmployeeId": null})))
        .await;
    env.create(user("d@example.com", json!({}))).await;
    let bid = b["id"].as_str().unwrap();
    let (s, _, _, _) = error(
        env.post(
            &format!("/api/v1/users/{bid}"),
            json!({"profile": {"hrEmployeeId": "E1"}}),
        )
        .await,
    )
    .await;
    assert_eq!(s, 400);
    // A user may keep (rewrite) its own value, and a freed value can be taken.
    let aid = a["id"].as_str().unwrap();
    assert_eq!(
        env.post(
            &format!("/api/v1/users/{aid}"),
            json!({"profile": {"hrEmployeeId": "E1"}})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        env.post(
            &format!("/api/v1/users/{aid}"),
            json!({"profile": {"hrEmployeeId": "E9"}})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        env.post(
            &format!("/api/v1/users/{bid}"),
            json!({"profile": {"hrEmployeeId": "E1"}})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn a_schema_body_that_is_not_json_or_not_an_object_is_e0000003() {
    let env = start_with(EmulatorConfig::default()).await;
    let r = env
        .http
        .post(format!("{}{SCHEMA}", env.emu.base_url()))
        .header("Authorization", format!("SSWS {}", env.emu.token()))
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await.1, "E0000003");
    assert_eq!(
        error(
            env.post(
                SCHEMA,
                json!({"definitions": {"custom": {"properties": [1]}}})
            )
            .await
        )
        .await
        .1,
        "E0000003"
    );
}
