//! The Workday HR source: one custom report read as a service (RaaS) in JSON
//! (`client`, Basic auth as an Integration System User or an OAuth refresh token,
//! `oauth`), its `Report_Entry` rows renamed and flattened by `[source.columns]`
//! (`columns`), and the snapshot built with the shared record rules. The report author
//! chooses the columns; `[employee]` and `[mapping]` use the hrsync names the column map
//! gives them.
//!
//! It must not: treat a column missing from every row as empty (Workday leaves out fields
//! the ISU may not see), retry after 401/403, log or return a credential or token, or know
//! anything about Okta.

mod client;
mod columns;
mod oauth;

pub use client::{WorkdayClient, report_url, token_url};
pub use columns::{ColumnMap, ITEM_SEPARATOR, flatten_row};

use crate::config::{EmployeeConfig, WorkdaySourceConfig};
use crate::model::Names;
use crate::source::http::{RetryPolicy, malformed};
use crate::source::pulled::{Pulled, PulledRecord};
use crate::source::{HrSource, Snapshot, SourceError, record};

/// The Workday source.
#[derive(Debug, Clone)]
pub struct WorkdaySource {
    client: WorkdayClient,
    columns: ColumnMap,
    mapped: Vec<String>,
    employee: EmployeeConfig,
}

impl WorkdaySource {
    /// A source for `[source] type = "workday"`, reading records with the `[employee]` rules.
    pub fn new(
        config: &WorkdaySourceConfig,
        employee: EmployeeConfig,
    ) -> Result<Self, SourceError> {
        Self::with_retry(config, employee, RetryPolicy::default())
    }

    /// As [`WorkdaySource::new`], with a custom retry policy (tests use short waits).
    pub fn with_retry(
        config: &WorkdaySourceConfig,
        employee: EmployeeConfig,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        Ok(Self {
            client: WorkdayClient::new(config, retry)?,
            columns: ColumnMap::new(&config.columns),
            mapped: config.columns.keys().cloned().collect(),
            employee,
        })
    }

    /// Runs the report and flattens its rows; fails when a required field is missing from
    /// every row, and on any HTTP failure.
    pub async fn fetch_records(&self) -> Result<Pulled, SourceError> {
        let rows = self.client.rows().await?;
        let url = self.client.report_url();
        if rows.len() > self.employee.max_records {
            return Err(record::too_many_records(url, self.employee.max_records));
        }
        let mut records = Vec::with_capacity(rows.len());
        for (index, row) in rows.iter().enumerate() {
            let Some(row) = row.as_object() else {
                return Err(malformed(
                    url,
                    &format!("Report_Entry row #{} is not a JSON object", index + 1),
                ));
            };
            let fields = flatten_row(row, &self.columns);
            let origin = match fields.get(&self.employee.id) {
                Some(id) => format!("workday:{id}"),
                None => format!("workday:#{}", index + 1),
            };
            records.push(PulledRecord { origin, fields });
        }
        let withheld = self.check_withheld(&records)?;
        Ok(Pulled { records, withheld })
    }

    /// A required field no row has fails the fetch, naming the report column and the
    /// permission; other mapped columns no row has are returned (and logged).
    fn check_withheld(&self, records: &[PulledRecord]) -> Result<Vec<String>, SourceError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let present = |field: &str| {
            records.iter().any(|r| {
                r.fields.contains_key(field)
                    || r.fields.keys().any(|k| {
                        k.strip_prefix(field)
                            .is_some_and(|rest| rest.starts_with('.'))
                    })
            })
        };
        let column = |field: &str| match self.columns.column_of(field) {
            Some(c) => format!("report column {c:?}"),
            None => format!("report column {field:?} (not in [source.columns])"),
        };
        for (field, why) in record::required_fields(&self.employee) {
            if !present(field) {
                return Err(SourceError::MissingField {
                    location: self.client.report_url().to_owned(),
                    field: field.to_owned(),
                    message: format!(
                        "no row of the report has a value in {}, and {why}; Workday leaves out fields the Integration System User may not see: give its security group Get access to the domain the field comes from, or fix the column name in [source.columns]",
                        column(field)
                    ),
                });
            }
        }
        let mut withheld = Vec::new();
        for field in &self.mapped {
            if !present(field) {
                tracing::warn!(
                    field = field.as_str(),
                    rows = records.len(),
                    "no Workday report row has this column (a renamed column, or a field the ISU may not see)"
                );
                withheld.push(field.clone());
            }
        }
        Ok(withheld)
    }

    /// A short description for logs and `hrsync check` (no credentials).
    pub fn describe(&self) -> String {
        let auth = if self.client.uses_oauth() {
            "OAuth refresh token"
        } else {
            "Integration System User"
        };
        format!("Workday report {} ({auth})", self.client.report_url())
    }
}

impl HrSource for WorkdaySource {
    /// The report, then every row through the shared [`record::build_employee`] rules.
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let fetched = self.fetch_records().await?;
        let mut keys = Names::default();
        let built = fetched
            .records
            .into_iter()
            .map(|r| record::build_employee(r.fields, r.origin, &self.employee, &mut keys))
            .collect();
        record::finish(built, &keys, &self.employee, self.client.report_url())
    }

    fn describe(&self) -> String {
        WorkdaySource::describe(self)
    }
}
