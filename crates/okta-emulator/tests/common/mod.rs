//! Helpers shared by the HTTP tests of this crate: start an emulator, send requests with its
//! SSWS token, read error codes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use okta_emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

/// A started emulator with an HTTP client.
pub struct Env {
    pub emu: EmulatorHandle,
    pub http: Client,
}

pub async fn start_with(config: EmulatorConfig) -> Env {
    let emu = Emulator::start(config).await.unwrap();
    Env {
        emu,
        http: Client::new(),
    }
}

impl Env {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.emu.base_url(), path))
            .header("Authorization", format!("SSWS {token}"))
            .header("Accept", "application/json");
        req = match body {
            Some(b) => req.json(&b),
            None => req.header("Content-Length", "0"),
        };
        req.send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, &self.emu.token(), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.send(Method::POST, path, &self.emu.token(), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Response {
        self.send(Method::PUT, path, &self.emu.token(), Some(body))
            .await
    }

    pub async fn post_empty(&self, path: &str) -> Response {
        self.send(Method::POST, path, &self.emu.token(), None).await
    }

    pub async fn json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// `POST /api/v1/users` with a body, whatever the answer.
    pub async fn create_raw(&self, body: Value) -> Response {
        self.post("/api/v1/users", body).await
    }

    /// Creates a user (200 asserted) and returns it.
    pub async fn create(&self, body: Value) -> Value {
        let r = self.post("/api/v1/users", body).await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

/// A minimal valid create body with extra profile attributes merged in.
pub fn user(login: &str, extra: Value) -> Value {
    let mut profile =
        json!({ "login": login, "email": login, "firstName": "Ada", "lastName": "Kowalski" });
    if let (Some(p), Value::Object(e)) = (profile.as_object_mut(), extra) {
        p.extend(e);
    }
    json!({ "profile": profile })
}

/// Status, errorCode and the first cause of an error response.
pub async fn error(resp: Response) -> (u16, String, String, String) {
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap();
    (
        status,
        v["errorCode"].as_str().unwrap_or_default().to_owned(),
        v["errorSummary"].as_str().unwrap_or_default().to_owned(),
        v["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}
