//! `[source]`: where employees come from. The `type` key picks the kind; the rest of the
//! table deserializes directly into that kind's typed struct (one file per kind), so a key of
//! another kind is an unknown key, reported as such. Adding an HR store is one file here and
//! one variant of [`SourceConfig`].
//!
//! Reads only the secrets the section references; does no network I/O.

mod bamboohr;
mod file;
mod hibob;
mod personio;
mod scim;
mod sql;
mod workday;

pub use bamboohr::{BAMBOOHR_DEFAULT_BASE_URL, BambooHrSourceConfig};
pub use file::{Delimiter, FileFormat, FileSourceConfig};
pub use hibob::{HIBOB_DEFAULT_BASE_URL, HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS, HiBobSourceConfig};
pub use personio::{PERSONIO_DEFAULT_BASE_URL, PersonioSourceConfig};
pub use scim::{SCIM_DEFAULT_REQUEST_TIMEOUT_SECONDS, ScimSourceConfig};
pub use sql::SqlSourceConfig;
pub use workday::{WORKDAY_DEFAULT_REQUEST_TIMEOUT_SECONDS, WorkdayAuth, WorkdaySourceConfig};

use super::error::{ConfigError, SourceText};
use super::section::section_of_kind;
use toml::Spanned;
use toml::de::DeValue;

/// `[source]`.
#[derive(Debug, Clone)]
pub enum SourceConfig {
    /// A CSV or JSON file.
    File(FileSourceConfig),
    /// HiBob's people API.
    HiBob(HiBobSourceConfig),
    /// BambooHR's custom-report API.
    BambooHr(BambooHrSourceConfig),
    /// Personio's v1 employees API.
    Personio(PersonioSourceConfig),
    /// A Workday custom report read as a service (RaaS).
    Workday(WorkdaySourceConfig),
    /// A SCIM 2.0 service provider's `/Users`.
    Scim(ScimSourceConfig),
    /// A query on a PostgreSQL or MySQL/MariaDB database.
    Sql(SqlSourceConfig),
}

/// The values `type` accepts, in the order errors list them.
pub const SOURCE_KINDS: &[&str] = &[
    "file", "hibob", "bamboohr", "personio", "workday", "scim", "sql",
];

/// Reads `[source]`: its `type`, then the rest as that kind's struct. Every mistake found is
/// pushed to `errors`; `None` when there was one.
pub(super) fn parse(
    src: SourceText<'_>,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<SourceConfig> {
    let expected = SOURCE_KINDS.join(", ");
    let DeValue::Table(table) = value.get_ref() else {
        let msg = "must be a table: [source] with type = \"file\" and its keys";
        errors.push(src.error_at(Some(value.span()), "source", msg));
        return None;
    };
    let Some(kind) = table.get("type") else {
        let msg = format!("missing; expected one of {expected}");
        errors.push(src.error_at(Some(value.span()), "source.type", msg));
        return None;
    };
    let DeValue::String(name) = kind.get_ref() else {
        let msg = format!("expected a string (in quotes): one of {expected}");
        errors.push(src.error_at(Some(kind.span()), "source.type", msg));
        return None;
    };
    let name: &str = name;
    let mut rest = value.clone();
    if let DeValue::Table(t) = rest.get_mut() {
        t.remove("type");
    }
    let span_of = |key: &str| table.get(key).map_or(value.span(), Spanned::span);
    match name {
        "file" => {
            let mut file: FileSourceConfig = section_of_kind(src, "source", "file", &rest, errors)?;
            match file.finish() {
                Ok(()) => Some(SourceConfig::File(file)),
                Err((key, msg)) => {
                    errors.push(src.error_at(Some(span_of(key)), format!("source.{key}"), msg));
                    None
                }
            }
        }
        "hibob" => section_of_kind(src, "source", "hibob", &rest, errors).map(SourceConfig::HiBob),
        "bamboohr" => {
            let b: BambooHrSourceConfig =
                section_of_kind(src, "source", "bamboohr", &rest, errors)?;
            let domain = b.company_domain.trim();
            let valid = !domain.is_empty()
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if valid {
                Some(SourceConfig::BambooHr(b))
            } else {
                let msg = format!(
                    "{domain:?} is not a BambooHR company domain; expected the subdomain only (acme for acme.bamboohr.com)"
                );
                errors.push(src.error_at(
                    Some(span_of("company_domain")),
                    "source.company_domain",
                    msg,
                ));
                None
            }
        }
        "personio" => {
            section_of_kind(src, "source", "personio", &rest, errors).map(SourceConfig::Personio)
        }
        "workday" => {
            let mut workday: WorkdaySourceConfig =
                section_of_kind(src, "source", "workday", &rest, errors)?;
            match workday.finish() {
                Ok(()) => Some(SourceConfig::Workday(workday)),
                Err((key, msg)) => {
                    errors.push(src.error_at(Some(span_of(key)), format!("source.{key}"), msg));
                    None
                }
            }
        }
        "scim" => section_of_kind(src, "source", "scim", &rest, errors).map(SourceConfig::Scim),
        "sql" => section_of_kind(src, "source", "sql", &rest, errors).map(SourceConfig::Sql),
        other => {
            let msg = format!("unknown value {other:?}; expected one of {expected}");
            errors.push(src.error_at(Some(kind.span()), "source.type", msg));
            None
        }
    }
}
