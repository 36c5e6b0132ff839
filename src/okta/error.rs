//! Errors from Okta, classified for retries and for stopping a run.

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
    #[error("Okta {status} {}: {summary}{}", code.as_deref().unwrap_or("(no code)"), fmt_request_id(request_id))]
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
    /// No response (connection refused/reset, timeout, TLS).
    #[error("transport error: {0}")]
    Transport(String),
    /// The response could not be understood.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// The token endpoint refused the client credentials.
    #[error("OAuth token request failed: {0}")]
    Auth(String),
}

fn fmt_request_id(id: &Option<String>) -> String {
    id.as_ref()
        .map(|i| format!(" (request id {i})"))
        .unwrap_or_default()
}

impl Error {
    /// Okta's `errorCode`, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// `X-Okta-Request-Id`, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } | Self::InsufficientScope { request_id, .. } => {
                request_id.as_deref()
            }
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
            Self::InsufficientScope { .. } | Self::Auth(_) => ErrorClass::Fatal,
            Self::Transport(_) => ErrorClass::Retryable,
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
}
