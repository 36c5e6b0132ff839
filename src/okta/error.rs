//! Errors from Okta, classified for retries and for stopping a run. Causes are kept as
//! `#[source]` (a transport error holds the HTTP client's error, URL removed); flatten a
//! chain to text with [`crate::errors::describe`].

use std::sync::Arc;

/// How an error affects a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Try again later (429, 5xx, timeouts, resets, 409 E0000112).
    Retryable,
    /// This user's action failed; the rest of the run goes on.
    PerUser,
    /// Stop the run: credentials or permissions are wrong.
    Fatal,
}

/// An error from the Okta API or the way to it. Never contains a token.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// Okta answered with an error status.
    #[error("Okta {status} {}: {summary}{}{}", code.as_deref().unwrap_or("(no code)"), fmt_causes(causes), fmt_request_id(request_id))]
    Api {
        /// HTTP status.
        status: u16,
        /// Okta's `errorCode`, e.g. `E0000001`.
        code: Option<String>,
        /// Okta's `errorSummary`.
        summary: String,
        /// `errorCauses[].errorSummary`.
        causes: Vec<String>,
        /// `X-Okta-Request-Id`.
        request_id: Option<String>,
    },
    /// An OAuth token lacks a scope (403 with `WWW-Authenticate: … insufficient_scope`).
    #[error(
        "the OAuth token lacks scope {scope}: grant it to the service app{}",
        fmt_request_id(request_id)
    )]
    InsufficientScope {
        /// The scope Okta named.
        scope: String,
        /// `X-Okta-Request-Id`.
        request_id: Option<String>,
    },
    /// No response (connection refused/reset, timeout, TLS), or a body that broke off.
    #[error("transport error: {what}")]
    Transport {
        /// What failed, in words (`connection failed`, `token endpoint: timed out`).
        what: String,
        /// The HTTP client's error with its URL removed: the chain says why (refused, reset,
        /// TLS). None when hrsync itself gave up (the client is shutting down).
        #[source]
        source: Option<Arc<reqwest::Error>>,
    },
    /// The response could not be understood.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// The write was not sent: this instance is no longer the leader of its journal (the
    /// write gate of [`super::WriteGate`] refused it). The run stops; the leader goes on.
    #[error("not sent: {0}")]
    Fenced(String),
    /// The token endpoint refused the client credentials.
    #[error("OAuth token request failed: {0}")]
    Auth(String),
    /// The client cannot be built from this configuration (bad URL, unusable key).
    #[error("Okta client configuration: {0}")]
    Config(String),
    /// Okta asks for a wait longer than `[okta] max_retry_wait_seconds` (a rate-limit reset
    /// or `Retry-After` far ahead): the request fails at once instead of sleeping.
    #[error(
        "Okta rate limit: {endpoint} ({bucket}) may be retried only at {reset_utc}, {wait_secs} s \
         from now, longer than [okta] max_retry_wait_seconds = {max_wait_secs}; not waiting"
    )]
    RetryWaitTooLong {
        /// The rate-limit bucket, in words.
        bucket: String,
        /// The endpoint (method and path).
        endpoint: String,
        /// When the wait would end, e.g. `2030-01-02 03:04:05 UTC`.
        reset_utc: String,
        /// The wait asked for, in whole seconds.
        wait_secs: u64,
        /// The configured ceiling, in seconds.
        max_wait_secs: u64,
    },
    /// One run has waited `[okta] max_retry_wait_per_run_seconds` in all to retry requests:
    /// the run stops instead of crawling on behind a throttled or failing Okta.
    #[error(
        "this run has already waited {spent_secs} s to retry Okta requests (the last: {endpoint}), \
         the most [okta] max_retry_wait_per_run_seconds = {budget_secs} allows; stopping the run \
         (the next run starts afresh)"
    )]
    RetryBudgetSpent {
        /// The request that would have waited again (method and path).
        endpoint: String,
        /// Waited so far in this run, in whole seconds.
        spent_secs: u64,
        /// The budget, in seconds.
        budget_secs: u64,
    },
    /// A listing that does not end: a next link back to a page already read, or more pages
    /// than any org can hold.
    #[error("Okta's paging of {listing} does not end: {detail}; stopping the listing")]
    Paging {
        /// The listing, e.g. `GET /api/v1/users`.
        listing: String,
        /// What was wrong.
        detail: String,
    },
    /// The credentials were refused or lack a permission; says what to fix.
    #[error(
        "{advice} (Okta {status} {code}: {summary}{})",
        fmt_request_id(request_id)
    )]
    Permission {
        /// HTTP status (401 or 403).
        status: u16,
        /// Okta's `errorCode` (`E0000011`, `E0000006`, `E0000005`).
        code: String,
        /// Okta's `errorSummary`.
        summary: String,
        /// What the operator has to fix.
        advice: String,
        /// `X-Okta-Request-Id`.
        request_id: Option<String>,
    },
}

fn fmt_causes(causes: &[String]) -> String {
    if causes.is_empty() {
        String::new()
    } else {
        format!(" ({})", causes.join("; "))
    }
}

fn fmt_request_id(id: &Option<String>) -> String {
    id.as_ref()
        .map(|i| format!(" (request id {i})"))
        .unwrap_or_default()
}

impl Error {
    /// A request that got no (whole) answer; `context` names what was being asked when it is
    /// not an API call (`token endpoint`).
    pub(crate) fn transport(context: Option<&str>, e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_body() || e.is_decode() {
            "the response body broke off"
        } else if e.is_request() {
            "the request failed (connection closed or reset)"
        } else {
            "HTTP error"
        };
        let what = match context {
            Some(c) => format!("{c}: {kind}"),
            None => kind.to_owned(),
        };
        Self::Transport {
            what,
            source: Some(Arc::new(e.without_url())),
        }
    }

    /// The client stopped before the request could be sent.
    pub(crate) fn shutting_down() -> Self {
        Self::Transport {
            what: "the client is shutting down".to_owned(),
            source: None,
        }
    }

    /// Okta's `errorCode`, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => code.as_deref(),
            Self::Permission { code, .. } => Some(code),
            _ => None,
        }
    }

    /// `X-Okta-Request-Id`, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. }
            | Self::InsufficientScope { request_id, .. }
            | Self::Permission { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// How this error affects the run.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Api { status, code, .. } => match (*status, code.as_deref()) {
                (429 | 500 | 502 | 503 | 504, _) => ErrorClass::Retryable,
                (409, Some("E0000112")) => ErrorClass::Retryable,
                (401, _) | (403, Some("E0000006" | "E0000005")) => ErrorClass::Fatal,
                _ => ErrorClass::PerUser,
            },
            Self::InsufficientScope { .. }
            | Self::Auth(_)
            | Self::Config(_)
            | Self::Permission { .. }
            | Self::RetryWaitTooLong { .. }
            | Self::RetryBudgetSpent { .. }
            | Self::Paging { .. }
            | Self::Fenced(_) => ErrorClass::Fatal,
            Self::Transport { .. } => ErrorClass::Retryable,
            Self::Decode(_) => ErrorClass::PerUser,
        }
    }

    /// True when a later retry may succeed.
    pub fn is_retryable(&self) -> bool {
        self.class() == ErrorClass::Retryable
    }

    /// True when the whole run must stop.
    pub fn is_fatal(&self) -> bool {
        self.class() == ErrorClass::Fatal
    }

    /// True when the write gate refused the write (this instance no longer leads): the run
    /// stops, but nothing is wrong with the credentials.
    pub fn is_fenced(&self) -> bool {
        matches!(self, Self::Fenced(_))
    }

    /// True when Okta answered 404: the user does not exist (any more).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { status: 404, .. })
    }

    /// True for Okta's duplicate-login validation error (400 E0000001 with a `login:` cause
    /// saying the value already exists).
    pub fn is_duplicate_login(&self) -> bool {
        match self {
            Self::Api {
                status: 400,
                code: Some(code),
                causes,
                ..
            } if code == "E0000001" => causes.iter().any(|c| {
                let c = c.to_ascii_lowercase();
                c.starts_with("login") && c.contains("already exists")
            }),
            _ => false,
        }
    }

    /// True for Okta's refusal of a value another user already holds in a unique attribute
    /// (400 E0000001 with a cause `attribute: … already exists`), for `attribute` other than
    /// the login.
    pub fn is_duplicate_value(&self, attribute: &str) -> bool {
        match self {
            Self::Api {
                status: 400,
                code: Some(code),
                causes,
                ..
            } if code == "E0000001" && !attribute.eq_ignore_ascii_case("login") => {
                causes.iter().any(|c| {
                    c.split_once(':').is_some_and(|(name, rest)| {
                        name.trim().eq_ignore_ascii_case(attribute)
                            && rest.to_ascii_lowercase().contains("already exists")
                    })
                })
            }
            _ => false,
        }
    }

    /// True for "the user's current status does not allow this operation" (403 E0000016,
    /// 403 E0000038, 400 E0000001 from suspend/unsuspend, 404 E0000007 from deactivating a
    /// DEPROVISIONED user): the answer a retried lifecycle call gets when the first try worked.
    pub fn is_wrong_status(&self) -> bool {
        matches!(
            (self, self.code()),
            (Self::Api { status: 403, .. }, Some("E0000016" | "E0000038"))
                | (Self::Api { status: 400, .. }, Some("E0000001"))
                | (Self::Api { status: 404, .. }, Some("E0000007"))
        )
    }
}

mod response;
pub(crate) use response::from_response;

#[cfg(test)]
mod tests;
