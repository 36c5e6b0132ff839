//! The SCIM 2.0 HR source (pull): reads every user of a SCIM service provider's `/Users`
//! (RFC 7644), page by page with the total checked (`client`), flattens each resource into
//! the SCIM paths templates address (`attributes`: `name.givenName`, `emails.work`,
//! `enterprise.department`, `enterprise.manager.value`, `meta.lastModified`), and builds the
//! snapshot with the shared record rules. `active` is a field like any other; the shipped
//! config reads it as the status (`true` = employed, `false` = terminated). This covers
//! HiBob's SCIM flavour and any SCIM-speaking HR tool.
//!
//! It must not: use a partial enumeration, treat a field missing from every user as empty,
//! retry after 401/403, log or return the token, or know anything about Okta.

mod attributes;
mod client;

pub use attributes::{ENTERPRISE_PREFIX, ENTERPRISE_URN, flatten_user};
pub use client::{ERROR_SCHEMA, ScimClient};

use crate::config::{EmployeeConfig, ScimSourceConfig};
use crate::model::Names;
use crate::source::flatten::{RawValue, has_path};
use crate::source::http::RetryPolicy;
use crate::source::pulled::PulledRecord;
use crate::source::{HrSource, Snapshot, SourceError, record};
use std::collections::BTreeMap;

/// The SCIM source.
#[derive(Debug, Clone)]
pub struct ScimSource {
    client: ScimClient,
    employee: EmployeeConfig,
}

impl ScimSource {
    /// A source for `[source] type = "scim"`, reading records with the `[employee]` rules.
    pub fn new(config: &ScimSourceConfig, employee: EmployeeConfig) -> Result<Self, SourceError> {
        Self::with_retry(config, employee, RetryPolicy::default())
    }

    /// As [`ScimSource::new`], with a custom retry policy (tests use short waits).
    pub fn with_retry(
        config: &ScimSourceConfig,
        employee: EmployeeConfig,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let client = ScimClient::new(
            &config.base_url,
            config.token.clone(),
            config.page_size,
            config.request_timeout,
            config.max_response_bytes,
            retry,
        )?;
        Ok(Self { client, employee })
    }

    /// Reads and flattens every user; fails on an incomplete enumeration, on any HTTP
    /// failure, and when a required field is missing from every user.
    pub async fn fetch_records(&self) -> Result<Vec<PulledRecord>, SourceError> {
        let users = self.client.list_users(self.employee.max_records).await?;
        let flattened: Vec<BTreeMap<String, RawValue>> = users.iter().map(flatten_user).collect();
        self.check_withheld(&flattened)?;
        Ok(flattened
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                let fields: BTreeMap<String, String> =
                    raw.into_iter().map(|(k, v)| (k, v.into_text())).collect();
                let origin = match fields.get(&self.employee.id) {
                    Some(id) => format!("scim:{id}"),
                    None => format!("scim:#{}", index + 1),
                };
                PulledRecord { origin, fields }
            })
            .collect())
    }

    /// A required field (id, status, start date when the mode needs it) that no user has is
    /// a wrong path or an attribute the token may not read, never "empty for everyone".
    fn check_withheld(&self, users: &[BTreeMap<String, RawValue>]) -> Result<(), SourceError> {
        if users.is_empty() {
            return Ok(());
        }
        for (field, why) in record::required_fields(&self.employee) {
            if !users.iter().any(|u| has_path(u, field)) {
                return Err(SourceError::MissingField {
                    location: self.client.users_url().to_owned(),
                    field: field.to_owned(),
                    message: format!(
                        "the SCIM service returned no user with it, and {why}; check the path in [employee] (SCIM paths such as active, enterprise.employeeNumber, emails.work) and that the token may read this attribute (some services leave out attributes a token's scope does not cover)"
                    ),
                });
            }
        }
        Ok(())
    }

    /// A short description for logs and `hrsync check` (no token).
    pub fn describe(&self) -> String {
        format!("SCIM 2.0 {}", self.client.users_url())
    }
}

impl HrSource for ScimSource {
    /// Every page, then every record through the shared [`record::build_employee`] rules.
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let records = self.fetch_records().await?;
        let mut keys = Names::default();
        let built = records
            .into_iter()
            .map(|r| record::build_employee(r.fields, r.origin, &self.employee, &mut keys))
            .collect();
        record::finish(built, &keys, &self.employee, self.client.users_url())
    }

    fn describe(&self) -> String {
        ScimSource::describe(self)
    }
}
