//! Okta's lifecycle calls (`POST /api/v1/users/{id}/lifecycle/{op}`) for activate,
//! deactivate, suspend, unsuspend and reactivate, and how a retried call that Okta had
//! already applied (its answer lost) is recognised: the user read back is, or is becoming,
//! what the operation makes of it.

use super::super::client::{Call, OktaClient};
use super::super::counters::EndpointClass;
use super::super::error::Error;
use super::super::{OktaRead, Receipt};
use crate::model::{OktaUser, OktaUserId, UserStatus};
use reqwest::Method;

/// The lifecycle operations hrsync uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lifecycle {
    Activate,
    Deactivate,
    Suspend,
    Unsuspend,
    Reactivate,
}

impl Lifecycle {
    fn path(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::Reactivate => "reactivate",
        }
    }

    fn operation(self) -> &'static str {
        match self {
            Self::Activate => "activate users",
            Self::Deactivate => "deactivate users",
            Self::Suspend => "suspend users",
            Self::Unsuspend => "unsuspend users",
            Self::Reactivate => "reactivate users",
        }
    }

    /// True when `user` is (or is becoming) what this operation makes of it.
    fn reached(self, user: &OktaUser) -> bool {
        let targets: &[UserStatus] = match self {
            Self::Activate => &[UserStatus::Active, UserStatus::Provisioned],
            Self::Deactivate => &[UserStatus::Deprovisioned],
            Self::Suspend => &[UserStatus::Suspended],
            Self::Unsuspend => &[UserStatus::Active],
            Self::Reactivate => &[UserStatus::Provisioned],
        };
        targets.contains(&user.status)
            || user
                .transitioning_to_status
                .is_some_and(|t| targets.contains(&t))
    }
}

impl OktaClient {
    /// Sends lifecycle `op` for user `id` (`sendEmail` as configured for an activation,
    /// never for a deactivation); after a retry, a refusal because the user already is what
    /// `op` makes of it is success.
    pub(super) async fn lifecycle(&self, id: &OktaUserId, op: Lifecycle) -> Result<Receipt, Error> {
        let mut url = self.user_url(id.as_str(), &["lifecycle", op.path()])?;
        let send_email = if self.send_email { "true" } else { "false" };
        match op {
            Lifecycle::Activate | Lifecycle::Reactivate => {
                url.query_pairs_mut().append_pair("sendEmail", send_email);
            }
            Lifecycle::Deactivate => {
                url.query_pairs_mut().append_pair("sendEmail", "false");
            }
            Lifecycle::Suspend | Lifecycle::Unsuspend => {}
        }
        let call = Call {
            method: Method::POST,
            url,
            class: EndpointClass::Lifecycle,
            body: None,
            operation: op.operation(),
        };
        let outcome = self.execute(&call).await;
        match outcome.result {
            Ok(reply) => Ok(Receipt {
                request_id: reply.request_id,
            }),
            Err(e) if outcome.maybe_applied && e.is_wrong_status() => {
                let user = self.get_user(id.as_str()).await?;
                if op.reached(&user) {
                    tracing::info!(okta_id = %id, op = op.path(), "a retried lifecycle call had already been applied");
                    // The attempt that changed Okta lost its answer; this one's id names the refusal.
                    Ok(Receipt {
                        request_id: e.request_id().map(str::to_owned),
                    })
                } else {
                    Err(e)
                }
            }
            Err(e) => Err(e),
        }
    }
}
