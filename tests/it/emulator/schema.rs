//! Emulator responses validate against the schemas of Okta's OpenAPI spec
//! (`tests/fixtures/okta-user-schemas.json`, extracted from `users-subset.yaml`; see
//! `tests/fixtures/README.md`).

use super::support::*;
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("../../fixtures/okta-user-schemas.json");
const URL: &str = "file:///okta-user-schemas.json";

struct Validator {
    schemas: boon::Schemas,
    compiler: boon::Compiler,
}

impl Validator {
    fn new() -> Self {
        let doc: Value = serde_json::from_str(SCHEMAS).unwrap();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler.add_resource(URL, doc).unwrap();
        Self {
            schemas: boon::Schemas::new(),
            compiler,
        }
    }

    fn check(&mut self, pointer: &str, instance: &Value) {
        let idx = self
            .compiler
            .compile(&format!("{URL}#{pointer}"), &mut self.schemas)
            .unwrap();
        if let Err(e) = self.schemas.validate(instance, idx) {
            panic!("{pointer} rejects {instance}:\n{e:#}");
        }
    }

    fn user(&mut self, v: &Value) {
        self.check("/$defs/User", v);
    }

    fn error(&mut self, v: &Value) {
        self.check("/$defs/Error", v);
        for key in [
            "errorCode",
            "errorSummary",
            "errorLink",
            "errorId",
            "errorCauses",
        ] {
            assert!(v.get(key).is_some(), "error lacks {key}: {v}");
        }
    }
}

#[test]
fn the_schema_fixture_rejects_a_wrong_user_so_the_check_can_fail() {
    let mut v = Validator::new();
    let idx = v
        .compiler
        .compile(&format!("{URL}#/$defs/User"), &mut v.schemas)
        .unwrap();
    let bad = json!({"id": "00u1", "status": "HAPPY", "created": "yesterday"});
    assert!(v.schemas.validate(&bad, idx).is_err());
}

#[tokio::test]
async fn users_lists_and_errors_validate_against_the_okta_spec() {
    let env = start().await;
    let mut v = Validator::new();
    let mut body = profile("schema@example.com");
    body["profile"]["title"] = json!("Engineer");
    body["credentials"] = json!({"password": {"value": "S3cret-pass!"}});
    let created: Value = env.post("/api/v1/users", body).await.json().await.unwrap();
    v.user(&created);
    let id = created["id"].as_str().unwrap().to_owned();
    let staged = env
        .create("staged-schema@example.com", "?activate=false")
        .await;
    v.user(&staged);
    let got: Value = env
        .get(&format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    v.user(&got);
    let updated: Value = env
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"title": null}}),
        )
        .await
        .json()
        .await
        .unwrap();
    v.user(&updated);
    env.post_empty(&format!("/api/v1/users/{id}/lifecycle/suspend"))
        .await;
    let sid = staged["id"].as_str().unwrap();
    let token: Value = env
        .post_empty(&format!(
            "/api/v1/users/{sid}/lifecycle/activate?sendEmail=false"
        ))
        .await
        .json()
        .await
        .unwrap();
    v.check("/$defs/UserActivationToken", &token);
    env.emu.seed(vec![
        json!({"status": "DEPROVISIONED", "profile": {"login": "gone-schema@example.com"}}),
    ]);
    let list: Value = env
        .get("/api/v1/users?search=status%20pr")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    v.check("/$defs/User", &list[0]);
    for u in list.as_array().unwrap() {
        v.user(u);
    }
    let as_list = json!({"type": "array", "items": {"$ref": "#/$defs/User"}});
    let mut doc: Value = serde_json::from_str(SCHEMAS).unwrap();
    doc["$defs"]["UserList"] = as_list;
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource("file:///list.json", doc).unwrap();
    let mut schemas = boon::Schemas::new();
    let idx = compiler
        .compile("file:///list.json#/$defs/UserList", &mut schemas)
        .unwrap();
    schemas.validate(&list, idx).unwrap();

    for resp in [
        env.post("/api/v1/users", profile("schema@example.com"))
            .await,
        env.get("/api/v1/users/00unknown").await,
        env.get("/api/v1/users?search=status%20ne%20%22x%22").await,
        env.post_empty(&format!("/api/v1/users/{sid}/lifecycle/unlock"))
            .await,
    ] {
        let e: Value = resp.json().await.unwrap();
        v.error(&e);
    }
    env.emu.update_config(|c| c.faults.forced_429 = 1);
    let e: Value = env.get("/api/v1/users").await.json().await.unwrap();
    v.check("/$defs/Error", &e);
    assert_eq!(e["errorCode"], "E0000047");
}

/// The schema API's shapes (`UserSchema` and what it references) from Okta's full management
/// spec (`tests/fixtures/okta-user-schema-api.json`; see `tests/fixtures/README.md`).
const SCHEMA_API: &str = include_str!("../../fixtures/okta-user-schema-api.json");

#[tokio::test]
async fn the_user_schema_and_its_partial_update_validate_against_the_okta_spec() {
    let env = start().await;
    let mut doc: Value = serde_json::from_str(SCHEMA_API).unwrap();
    // Okta's spec declares `unique` a boolean, while Okta's API answers (and Terraform's
    // provider sends) "UNIQUE_VALIDATED" / "NOT_UNIQUE"; accept those strings as well.
    doc["$defs"]["UserSchemaAttribute"]["properties"]["unique"] = json!({"anyOf": [{"type": ["boolean", "null"]}, {"enum": ["UNIQUE_VALIDATED", "NOT_UNIQUE"]}]});
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("file:///user-schema.json", doc)
        .unwrap();
    let mut schemas = boon::Schemas::new();
    let idx = compiler
        .compile("file:///user-schema.json#/$defs/UserSchema", &mut schemas)
        .unwrap();
    let got: Value = env
        .get("/api/v1/meta/schemas/user/default")
        .await
        .json()
        .await
        .unwrap();
    if let Err(e) = schemas.validate(&got, idx) {
        panic!("UserSchema rejects {got}:\n{e:#}");
    }
    let body = json!({"definitions": {"custom": {"id": "#custom", "type": "object", "properties": {
        "hrEmployeeId": {"title": "HR id", "type": "string", "maxLength": 64, "unique": "UNIQUE_VALIDATED",
                         "permissions": [{"principal": "SELF", "action": "READ_ONLY"}]},
        "skills": {"title": "Skills", "type": "array", "items": {"type": "string"}}
    }, "required": []}}});
    let r = env.post("/api/v1/meta/schemas/user/default", body).await;
    assert_eq!(r.status(), 200);
    let updated: Value = r.json().await.unwrap();
    if let Err(e) = schemas.validate(&updated, idx) {
        panic!("UserSchema rejects {updated}:\n{e:#}");
    }
    let mut v = Validator::new();
    let e: Value = env
        .post(
            "/api/v1/meta/schemas/user/default",
            json!({"definitions": {"custom": {"properties": {"skills": {"type": "string"}}}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    v.error(&e);
    assert_eq!(e["errorCode"], "E0000001");
}
