//! Helpers shared by the emulator tests: start an emulator, send authenticated requests.

use hrsync::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{Value, json};

/// A started emulator with an HTTP client.
pub struct Env {
    pub emu: EmulatorHandle,
    pub http: Client,
}

pub async fn start() -> Env {
    start_with(EmulatorConfig::default()).await
}

pub async fn start_with(config: EmulatorConfig) -> Env {
    let emu = Emulator::start(config).await.unwrap();
    let http = Client::builder().build().unwrap();
    Env { emu, http }
}

impl Env {
    /// A request with the emulator's SSWS token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.emu.base_url(), path))
            .header("Authorization", format!("SSWS {}", self.emu.token()))
            .header("Accept", "application/json")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.req(Method::GET, path).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.req(Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A bodiless POST with `Content-Length: 0`, as lifecycle calls must be sent.
    pub async fn post_empty(&self, path: &str) -> Response {
        self.req(Method::POST, path)
            .header("Content-Length", "0")
            .send()
            .await
            .unwrap()
    }

    /// Creates a user and returns its JSON.
    pub async fn create(&self, login: &str, query: &str) -> Value {
        let resp = self
            .post(&format!("/api/v1/users{query}"), profile(login))
            .await;
        assert_eq!(resp.status(), 200, "create {login}");
        resp.json().await.unwrap()
    }
}

/// A minimal valid create body.
pub fn profile(login: &str) -> Value {
    json!({ "profile": { "login": login, "email": login, "firstName": "Ada", "lastName": "Kowalski" } })
}

/// The `errorCode` of an error response (asserting the status first).
pub async fn error_code(resp: Response, status: u16) -> String {
    assert_eq!(resp.status(), status);
    let v: Value = resp.json().await.unwrap();
    v["errorCode"].as_str().unwrap_or_default().to_owned()
}

/// The `Link` header values of a response.
pub fn links(resp: &Response) -> Vec<String> {
    resp.headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The `rel="next"` URL, if any.
pub fn next_link(resp: &Response) -> Option<String> {
    links(resp).into_iter().find_map(|l| {
        l.strip_suffix("; rel=\"next\"")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_owned())
    })
}
