//! A run's view of Okta's user schema: read once (one request), checked against the mapping
//! (an attribute the mapping writes and the schema lacks stops the run before any write), and
//! used to type the mapping's values (`mapping::typed`). Shared by `sync`, `plan`, `explain`
//! and `check`. It decides nothing about users.

use crate::mapping::typed::{MissingAttributes, UserSchema};
use crate::okta::{self, OktaRead};
use crate::plan::Policy;

/// What reading the schema gave.
#[derive(Debug, Clone)]
pub enum SchemaRead {
    /// The schema.
    Read(UserSchema),
    /// The credentials may not read it (OAuth without `okta.schemas.read`, or a role that
    /// cannot): values stay unchecked strings, as before schemas were read.
    Unreadable(okta::Error),
}

impl SchemaRead {
    /// The schema, when it could be read.
    pub fn schema(&self) -> Option<&UserSchema> {
        match self {
            Self::Read(s) => Some(s),
            Self::Unreadable(_) => None,
        }
    }
}

/// Whether an error means "these credentials may not read the schema" (not a broken org,
/// network or token: those fail the run like any read).
fn is_refusal(e: &okta::Error) -> bool {
    matches!(
        e,
        okta::Error::InsufficientScope { .. } | okta::Error::Permission { status: 403, .. }
    )
}

/// Reads the schema (one request). A refusal of the credentials is not an error: the run
/// goes on untyped and says so in the log.
pub async fn read<D: OktaRead>(okta: &D) -> Result<SchemaRead, okta::Error> {
    match okta.read_schema().await {
        Ok(schema) => Ok(SchemaRead::Read(schema)),
        Err(e) if is_refusal(&e) => {
            tracing::warn!(
                "cannot read Okta's user schema ({e}); mapped attributes are not checked and values are sent as text; grant the okta.schemas.read scope (OAuth) to check them"
            );
            Ok(SchemaRead::Unreadable(e))
        }
        Err(e) => Err(e),
    }
}

/// The policy with its mapping typed by the schema; refuses a mapping that writes an
/// attribute the schema lacks.
pub fn typed_policy(policy: &Policy, read: &SchemaRead) -> Result<Policy, MissingAttributes> {
    let Some(schema) = read.schema() else {
        return Ok(policy.clone());
    };
    let missing = schema.missing(&policy.mapping, &policy.anchor_attribute);
    if !missing.is_empty() {
        return Err(MissingAttributes(missing));
    }
    Ok(Policy {
        mapping: policy.mapping.typed_by(schema),
        ..policy.clone()
    })
}
