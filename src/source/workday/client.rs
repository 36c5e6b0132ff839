//! The HTTP side of the Workday source: one
//! `GET {base}/ccx/service/customreport2/{tenant}/{owner}/{report}?format=json` (plus the
//! report's prompts), authenticated as an Integration System User (Basic) or with an OAuth
//! access token from [`super::oauth`]. A report is computed while the request waits and has
//! no paging: the timeout is long and the answer is read under the size cap as it streams.
//! Retries, waits, the cap and auth failures are [`crate::source::http`]'s; a cached access
//! token Workday refuses is replaced once. Never logs or returns a credential.

use super::oauth::TokenSource;
use crate::config::{Secret, WorkdayAuth, WorkdaySourceConfig};
use crate::source::SourceError;
use crate::source::http::{self, Auth, Fetcher, RetryPolicy, Vendor, malformed};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};
use url::Url;

pub(super) const WORKDAY: Vendor = Vendor {
    name: "Workday",
    short: "Workday",
    rate_limit_hint: "Workday limits concurrent report requests per tenant; run less often",
    wait: http::standard_wait,
    auth_message,
    error_text,
};

/// How a request is authenticated.
#[derive(Debug, Clone)]
enum Credentials {
    /// The ISU's Basic auth.
    Basic(Auth),
    /// An OAuth access token, fetched and cached by the token source (boxed: it holds its
    /// own HTTP fetcher).
    OAuth(Box<TokenSource>),
}

/// A client for one report.
#[derive(Debug, Clone)]
pub struct WorkdayClient {
    fetcher: Fetcher,
    report_url: Url,
    shown_url: String,
    credentials: Credentials,
}

impl WorkdayClient {
    /// A client for the report `config` names, with its credentials.
    pub fn new(config: &WorkdaySourceConfig, retry: RetryPolicy) -> Result<Self, SourceError> {
        let report_url = report_url(config)?;
        let shown_url = report_url.to_string();
        let fetcher = Fetcher::new(
            WORKDAY,
            &shown_url,
            config.request_timeout,
            retry,
            config.max_response_bytes,
        )?;
        let credentials = match config.auth() {
            Some(WorkdayAuth::Basic { username, password }) => Credentials::Basic(Auth::Basic {
                user: Secret::new(username),
                password: password.clone(),
            }),
            Some(WorkdayAuth::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            }) => Credentials::OAuth(Box::new(TokenSource::new(
                token_url(config)?,
                client_id,
                client_secret.clone(),
                refresh_token.clone(),
                fetcher.clone(),
            ))),
            None => {
                return Err(SourceError::Auth {
                    location: shown_url,
                    message: "no credentials configured: give username and password, or client_id, client_secret and refresh_token".into(),
                });
            }
        };
        Ok(Self {
            fetcher,
            report_url,
            shown_url,
            credentials,
        })
    }

    /// The report's URL with its query (no credentials), for messages.
    pub fn report_url(&self) -> &str {
        &self.shown_url
    }

    /// Whether OAuth is used (for `describe`).
    pub fn uses_oauth(&self) -> bool {
        matches!(self.credentials, Credentials::OAuth(_))
    }

    /// Runs the report; its `Report_Entry` rows.
    pub async fn rows(&self) -> Result<Vec<Value>, SourceError> {
        let url = self.shown_url.as_str();
        let get = |c: &reqwest::Client| c.get(self.report_url.clone());
        let body = match &self.credentials {
            Credentials::Basic(auth) => self.fetcher.send_json(url, auth, get).await?,
            Credentials::OAuth(tokens) => {
                let (token, fresh) = tokens.access_token().await?;
                match self.fetcher.send_json(url, &Auth::Bearer(token), get).await {
                    // A cached token Workday no longer takes (revoked, or its lifetime was
                    // shorter than said): one new token, one more try.
                    Err(SourceError::Auth { .. }) if !fresh => {
                        tokens.forget().await;
                        let (token, _) = tokens.access_token().await?;
                        self.fetcher
                            .send_json(url, &Auth::Bearer(token), get)
                            .await?
                    }
                    other => other?,
                }
            }
        };
        entries(url, body)
    }
}

/// The `Report_Entry` array of a report answer.
fn entries(url: &str, body: Value) -> Result<Vec<Value>, SourceError> {
    let Value::Object(mut map) = body else {
        return Err(malformed(url, "the report is not a JSON object"));
    };
    match map.remove("Report_Entry") {
        Some(Value::Array(rows)) => Ok(rows),
        Some(_) => Err(malformed(url, "\"Report_Entry\" is not an array")),
        None => Err(malformed(
            url,
            "the answer has no \"Report_Entry\" array: not a RaaS report in JSON (check that the report is an Advanced report enabled as a web service)",
        )),
    }
}

/// `{base}/ccx/service/customreport2/{tenant}/{owner}/{report}?format=json&prompts…`, each
/// segment percent-encoded.
pub fn report_url(config: &WorkdaySourceConfig) -> Result<Url, SourceError> {
    let segments = [
        "ccx",
        "service",
        "customreport2",
        config.tenant.trim(),
        config.owner.trim(),
        config.report.trim(),
    ];
    let mut url = with_segments(&config.base_url, &segments)?;
    {
        let mut query = url.query_pairs_mut();
        query.clear().append_pair("format", "json");
        for (name, value) in &config.prompts {
            query.append_pair(name, value);
        }
    }
    Ok(url)
}

/// `{base}/ccx/oauth2/{tenant}/token`.
pub fn token_url(config: &WorkdaySourceConfig) -> Result<Url, SourceError> {
    with_segments(
        &config.base_url,
        &["ccx", "oauth2", config.tenant.trim(), "token"],
    )
}

fn with_segments(base: &Url, segments: &[&str]) -> Result<Url, SourceError> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|()| malformed(base.as_str(), "the base URL cannot have a path"))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

fn auth_message(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!(
            "Workday refused the credentials (HTTP 401{detail}); check [source] username and password (some tenants want user@tenant; an expired ISU password fails too), or client_id, client_secret and refresh_token. hrsync does not retry an authentication failure"
        )
    } else {
        format!(
            "the Integration System User may not run this report (HTTP 403{detail}); share the report with the ISU, and give its security group Get access to the domains the report's fields come from (e.g. Worker Data: Public Worker Reports, Worker Data: Current Staffing Information, Person Data: Work Contact Information), then activate the pending security policy changes. hrsync does not retry an authorization failure"
        )
    }
}

/// Workday's error text: `{"error": …}`, `{"errors": [{"error": …}]}`, or a SOAP fault's
/// `<faultstring>`.
fn error_text(headers: &HeaderMap, body: &str) -> Option<String> {
    if let Some(text) = http::json_error_text(headers, body) {
        return Some(text);
    }
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) {
        let first: Option<&Map<String, Value>> = map
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
            .and_then(Value::as_object);
        return first
            .and_then(|e| e.get("error").or_else(|| e.get("message")))
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    let start = body.find("<faultstring>")? + "<faultstring>".len();
    let end = start + body[start..].find("</faultstring>")?;
    Some(body[start..end].trim().to_owned())
}

#[cfg(test)]
mod tests;
