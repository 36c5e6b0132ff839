//! Every row of the lifecycle allowed-from table, over HTTP, plus the response bodies,
//! asynchronous activation and the 411 rule for bodiless POSTs.

use super::support::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const STATUSES: [&str; 8] = [
    "STAGED",
    "PROVISIONED",
    "ACTIVE",
    "RECOVERY",
    "PASSWORD_EXPIRED",
    "LOCKED_OUT",
    "SUSPENDED",
    "DEPROVISIONED",
];

/// What Okta answers: Ok(new status) or Err((http status, errorCode)). Users here have no
/// password, so activation leads to PROVISIONED.
fn expected(op: &str, from: &str) -> Result<&'static str, (u16, &'static str)> {
    match (op, from) {
        ("activate", "STAGED" | "DEPROVISIONED") => Ok("PROVISIONED"),
        ("activate", _) => Err((403, "E0000016")),
        ("reactivate", "PROVISIONED" | "RECOVERY") => Ok("PROVISIONED"),
        ("reactivate", _) => Err((403, "E0000038")),
        ("deactivate", "DEPROVISIONED") => Err((404, "E0000007")),
        ("deactivate", _) => Ok("DEPROVISIONED"),
        ("suspend", "ACTIVE") => Ok("SUSPENDED"),
        ("suspend", _) => Err((400, "E0000001")),
        ("unsuspend", "SUSPENDED") => Ok("ACTIVE"),
        ("unsuspend", _) => Err((400, "E0000001")),
        ("unlock", "LOCKED_OUT") => Ok("ACTIVE"),
        ("unlock", _) => Err((403, "E0000032")),
        ("reset_password", "ACTIVE" | "PASSWORD_EXPIRED" | "RECOVERY" | "LOCKED_OUT") => {
            Ok("RECOVERY")
        }
        ("reset_password", _) => Err((403, "E0000038")),
        ("expire_password", "ACTIVE") => Ok("PASSWORD_EXPIRED"),
        ("expire_password", _) => Err((403, "E0000038")),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn every_row_of_the_lifecycle_table_answers_like_okta() {
    let env = start().await;
    let mut n = 0;
    for op in [
        "activate",
        "reactivate",
        "deactivate",
        "suspend",
        "unsuspend",
        "unlock",
        "reset_password",
        "expire_password",
    ] {
        for from in STATUSES {
            n += 1;
            let id = format!("00ulifecycle{n:08}");
            env.emu.seed(vec![json!({
                "id": id, "status": from,
                "profile": {"login": format!("{id}@example.com"), "email": "x@example.com", "firstName": "L", "lastName": "C"}
            })]);
            let resp = env
                .post_empty(&format!("/api/v1/users/{id}/lifecycle/{op}"))
                .await;
            let status = resp.status().as_u16();
            let body: Value = resp.json().await.unwrap();
            let now: Value = env
                .get(&format!("/api/v1/users/{id}"))
                .await
                .json()
                .await
                .unwrap();
            match expected(op, from) {
                Ok(to) => {
                    assert_eq!(status, 200, "{op} from {from}: {body}");
                    assert_eq!(now["status"], to, "{op} from {from}");
                }
                Err((code, err)) => {
                    assert_eq!(
                        (status, body["errorCode"].as_str().unwrap()),
                        (code, err),
                        "{op} from {from}"
                    );
                    assert_eq!(
                        now["status"], from,
                        "{op} from {from} must not change the status"
                    );
                }
            }
        }
    }
    assert_eq!(
        env.emu
            .stats()
            .count("POST", "/api/v1/users/{id}/lifecycle/"),
        64
    );
}

#[tokio::test]
async fn activation_with_a_password_leads_to_active_and_sets_activated() {
    let env = start().await;
    let mut body = profile("pw@example.com");
    body["credentials"] = json!({"password": {"value": "S3cret-pass!"}});
    let u: Value = env
        .post("/api/v1/users?activate=false", body)
        .await
        .json()
        .await
        .unwrap();
    let id = u["id"].as_str().unwrap();
    let r = env
        .post_empty(&format!("/api/v1/users/{id}/lifecycle/activate"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({}));
    let now: Value = env
        .get(&format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["status"], "ACTIVE");
    assert!(now["activated"].is_string() && now["statusChanged"].is_string());
}

#[tokio::test]
async fn activate_without_email_returns_an_activation_token_and_reactivate_too() {
    let env = start().await;
    let u = env.create("tok@example.com", "?activate=false").await;
    let id = u["id"].as_str().unwrap();
    let r = env
        .post_empty(&format!(
            "/api/v1/users/{id}/lifecycle/activate?sendEmail=false"
        ))
        .await;
    let v: Value = r.json().await.unwrap();
    assert!(v["activationToken"].is_string() && v["activationUrl"].is_string());
    let r = env
        .post_empty(&format!("/api/v1/users/{id}/lifecycle/reactivate"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap()["activationToken"].is_string());
}

#[tokio::test]
async fn lifecycle_on_an_unknown_user_is_404_e0000007() {
    let env = start().await;
    let r = env
        .post_empty("/api/v1/users/00unobody/lifecycle/deactivate")
        .await;
    assert_eq!(error_code(r, 404).await, "E0000007");
}

#[tokio::test]
async fn unlock_on_an_active_user_gives_the_not_locked_out_cause() {
    let env = start().await;
    env.emu.seed(vec![
        json!({"id": "00uactive", "status": "ACTIVE", "profile": {"login": "act@example.com"}}),
    ]);
    let r = env
        .post_empty("/api/v1/users/00uactive/lifecycle/unlock")
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["errorSummary"], "Unlock is not allowed for this user.");
    assert_eq!(
        v["errorCauses"][0]["errorSummary"],
        "The user is not locked out."
    );
}

async fn raw(addr: std::net::SocketAddr, request: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn a_bodiless_post_without_content_length_is_411_and_changes_nothing() {
    let env = start().await;
    let u = env.create("len@example.com", "?activate=false").await;
    let id = u["id"].as_str().unwrap();
    let token = env.emu.token();
    let req = format!(
        "POST /api/v1/users/{id}/lifecycle/activate HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS {token}\r\nConnection: close\r\n\r\n"
    );
    let out = raw(env.emu.addr(), &req).await;
    assert!(out.starts_with("HTTP/1.1 411"), "{out}");
    assert!(out.to_ascii_lowercase().contains("x-okta-request-id"));
    let req = format!(
        "POST /api/v1/users/{id}/lifecycle/activate HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let out = raw(env.emu.addr(), &req).await;
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
}
