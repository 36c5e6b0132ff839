//! The outcome of one action as apply saw it: applied, failed (with Okta's code and request
//! id, and whether retrying can help) or skipped. Apply produces it; the journal records it;
//! reports and metrics read it.

use crate::model::OktaUserId;
use serde::Serialize;

/// The result of one action, recorded after the Okta call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Okta accepted the change.
    Applied {
        /// The user's Okta id (new for a create).
        okta_id: Option<OktaUserId>,
        /// Okta's `X-Okta-Request-Id` of the answer, when known (none for a retried create
        /// found already applied).
        request_id: Option<String>,
    },
    /// Okta refused it, or the call failed.
    Failed {
        /// Okta's `errorCode` (`E0000001`), if any.
        code: Option<String>,
        /// Okta's `X-Okta-Request-Id`, for support tickets.
        request_id: Option<String>,
        /// What went wrong.
        message: String,
        /// True when retrying the same request cannot succeed (a 4xx that is not a rate
        /// limit, credentials or permissions): such failures build the action's quarantine
        /// streak.
        permanent: bool,
    },
    /// Not attempted.
    Skipped {
        /// Why.
        reason: String,
    },
}
