//! The HiBob ("bob") HR source: reads every employee, pre-hires and leavers included, with one
//! `POST /people/search` (`showInactive: true`), flattens bob's nested and slash-notation keys
//! to dotted paths, resolves named-list ids to names (lists fetched once per fetch), and
//! detects fields bob silently withholds for lack of permission. Also bob webhook signature
//! verification and event parsing ([`verify_signature`], [`parse_event`]).
//!
//! It must not: treat a withheld field as empty, retry after 401/403, log or return the
//! service user's credentials, or know anything about Okta.

mod client;
mod flatten;
mod lists;
mod webhook;

pub use client::{BobClient, RetryPolicy, rate_limit_wait};
pub use flatten::{RawValue, flatten_employee};
pub use lists::{NamedList, UnknownItem};
pub use webhook::{
    BobEvent, BobEventKind, SIGNATURE_HEADER, WebhookError, delivery_key, parse_event,
    verify_signature,
};

use crate::config::{EmployeeConfig, HiBobSourceConfig};
use crate::model::Names;
use crate::source::flatten::has_path;
use crate::source::{HrSource, Rejected, Snapshot, SourceError, record};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Fields requested when `[source] fields` is empty: what bob's own Okta integration maps,
/// plus status and dates. (bob's default set leaves out `internal.*`, so it is never relied on.)
pub const DEFAULT_FIELDS: &[&str] = &[
    "root.id",
    "root.email",
    "root.firstName",
    "root.surname",
    "root.displayName",
    "work.title",
    "work.department",
    "work.site",
    "work.workPhone",
    "work.workMobile",
    "work.reportsTo",
    "work.startDate",
    "internal.status",
    "internal.lifecycleStatus",
    "internal.terminationDate",
    "employee.lastDayOfWork",
];

/// One employee as bob returned it: dotted path → text, or why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BobRecord {
    /// `hibob:<root.id>` (or `hibob:#<position>` without an id), for messages.
    pub origin: String,
    /// The fields, list ids resolved to names.
    pub fields: BTreeMap<String, String>,
    /// Problems found while reading it (unknown list items); none when usable.
    pub problems: Vec<Rejected>,
}

/// The result of one read of bob, before the shared record rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BobFetch {
    /// Every employee, in bob's order.
    pub records: Vec<BobRecord>,
    /// Requested fields bob returned for no employee (missing permission or a wrong field
    /// id), for `hrsync check`. Required fields missing everywhere fail the fetch instead.
    pub withheld: Vec<String>,
}

/// The bob source.
#[derive(Debug, Clone)]
pub struct HiBobSource {
    client: BobClient,
    config: HiBobSourceConfig,
    employee: EmployeeConfig,
}

impl HiBobSource {
    /// A source for `[source] type = "hibob"`, reading records with the `[employee]` rules.
    pub fn new(config: HiBobSourceConfig, employee: EmployeeConfig) -> Result<Self, SourceError> {
        Self::with_retry(config, employee, RetryPolicy::default())
    }

    /// As [`HiBobSource::new`], with a custom retry policy (tests use short waits).
    pub fn with_retry(
        config: HiBobSourceConfig,
        employee: EmployeeConfig,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let client = BobClient::new(
            &config.base_url,
            config.service_user_id.clone(),
            config.token.clone(),
            config.request_timeout,
            retry,
        )?
        .with_max_response_bytes(config.max_response_bytes);
        Ok(Self {
            client,
            config,
            employee,
        })
    }

    /// The field ids sent to bob: the configured ones (or [`DEFAULT_FIELDS`]), plus every
    /// field `[employee]` and `named_lists` need, sorted and without duplicates.
    pub fn requested_fields(&self) -> Vec<String> {
        let mut fields: BTreeSet<String> = if self.config.fields.is_empty() {
            DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect()
        } else {
            self.config.fields.iter().cloned().collect()
        };
        fields.extend(self.required_fields());
        let e = &self.employee;
        fields.extend(e.termination_date.iter().cloned());
        fields.extend(e.timezone.field.iter().cloned());
        // A manager path like `work.reportsTo.id` is read from the `work.reportsTo` object;
        // bob ignores ids it does not know, so asking for both is harmless.
        fields.extend(e.manager.iter().cloned());
        fields.extend(e.manager.iter().filter_map(|m| parent_object(m)));
        fields.extend(self.config.named_lists.keys().cloned());
        fields.into_iter().collect()
    }

    /// Fields without which no record can be used: the id, the status and the start date.
    /// When one is absent from every employee, bob is withholding it (missing permission).
    fn required_fields(&self) -> Vec<String> {
        let e = &self.employee;
        [Some(&e.id), Some(&e.status.field), e.start_date.as_ref()]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }

    /// Reads every employee from bob and resolves list ids; fails when a required field is
    /// withheld for everyone, and on any HTTP failure.
    pub async fn fetch_records(&self) -> Result<BobFetch, SourceError> {
        let fields = self.requested_fields();
        let list_names: BTreeSet<&String> = self.config.named_lists.values().collect();
        // The search first: after a 401/403 nothing else is sent (bob blocks addresses that
        // keep failing auth). The lists then load together.
        let employees = self.client.search_people(&fields).await?;
        if employees.len() > self.employee.max_records {
            return Err(record::too_many_records(
                &self.search_url(),
                self.employee.max_records,
            ));
        }
        let lists: HashMap<String, NamedList> =
            futures::future::try_join_all(list_names.iter().map(|name| self.load_list(name)))
                .await?
                .into_iter()
                .collect();

        let mut flattened = Vec::with_capacity(employees.len());
        for (index, employee) in employees.iter().enumerate() {
            let Some(object) = employee.as_object() else {
                return Err(SourceError::Malformed {
                    location: self.search_url(),
                    message: format!("employee #{} is not a JSON object", index + 1),
                });
            };
            flattened.push(flatten_employee(object));
        }
        let withheld = self.check_withheld(&flattened, &fields)?;

        let records = flattened
            .into_iter()
            .enumerate()
            .map(|(index, mut raw)| {
                let unknown = lists::resolve(&mut raw, &self.config.named_lists, &lists);
                let fields: BTreeMap<String, String> =
                    raw.into_iter().map(|(k, v)| (k, v.into_text())).collect();
                let id = fields.get(&self.employee.id).cloned();
                let origin = match &id {
                    Some(id) => format!("hibob:{id}"),
                    None => format!("hibob:#{}", index + 1),
                };
                let problems = unknown
                    .into_iter()
                    .map(|u| Rejected {
                        location: origin.clone(),
                        employee_id: id.clone(),
                        field: Some(u.field),
                        reason: format!(
                            "list item {} is not in bob's named list {:?}; check the list in bob or [source] named_lists",
                            u.id, u.list
                        ),
                    })
                    .collect();
                BobRecord {
                    origin,
                    fields,
                    problems,
                }
            })
            .collect();
        Ok(BobFetch { records, withheld })
    }

    async fn load_list(&self, name: &str) -> Result<(String, NamedList), SourceError> {
        let body = self.client.named_list(name).await?;
        let list = NamedList::from_response(&body).ok_or_else(|| SourceError::Malformed {
            location: format!("{}/company/named-lists/{name}", self.client.base()),
            message: "no \"values\" or \"items\" array in the named list".to_owned(),
        })?;
        Ok((name.to_owned(), list))
    }

    /// bob drops fields the service user may not read, with HTTP 200 and no warning. A
    /// required field missing from every employee is therefore a permission problem, never
    /// "everyone's value is empty". Other requested fields missing everywhere are logged.
    fn check_withheld(
        &self,
        records: &[BTreeMap<String, RawValue>],
        requested: &[String],
    ) -> Result<Vec<String>, SourceError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let present = |field: &str| records.iter().any(|r| has_path(r, field));
        for field in self.required_fields() {
            if !present(&field) {
                return Err(SourceError::MissingField {
                    location: self.search_url(),
                    field: field.clone(),
                    message: format!(
                        "bob returned no employee with it; bob silently omits fields the service user may not read: grant its permission group view access to the category holding {field} (and to inactive employees), or fix the field id in [employee]"
                    ),
                });
            }
        }
        let mut withheld = Vec::new();
        for field in requested {
            if !present(field) {
                withheld.push(field.clone());
                tracing::warn!(
                    field = field.as_str(),
                    employees = records.len(),
                    "bob returned this field for no employee (missing permission, or a wrong field id)"
                );
            }
        }
        Ok(withheld)
    }

    fn search_url(&self) -> String {
        format!("{}/people/search", self.client.base())
    }

    /// A short description for logs and `hrsync check` (no credentials).
    pub fn describe(&self) -> String {
        format!("HiBob {}", self.client.base())
    }
}

impl HrSource for HiBobSource {
    /// One search, then every record through the shared [`record::build_employee`] rules; a
    /// record with an unknown list item is refused with that reason.
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let fetched = self.fetch_records().await?;
        let mut keys = Names::default();
        let built = fetched
            .records
            .into_iter()
            .map(|r| {
                if r.problems.is_empty() {
                    record::build_employee(r.fields, r.origin, &self.employee, &mut keys)
                } else {
                    Err(r.problems)
                }
            })
            .collect();
        record::finish(built, &keys, &self.employee, &self.search_url())
    }

    fn describe(&self) -> String {
        HiBobSource::describe(self)
    }
}

/// The object field a deeper path lies in: `work.reportsTo.id` → `work.reportsTo`.
fn parent_object(path: &str) -> Option<String> {
    let (parent, _) = path.rsplit_once('.')?;
    parent.contains('.').then(|| parent.to_owned())
}
