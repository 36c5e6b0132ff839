//! The vendor-neutral record builder every HR source shares: raw fields (dotted path → text)
//! become a validated [`Employee`], or the record is refused with one [`Rejected`] per problem;
//! [`assemble`] then refuses every record of a duplicated id and builds the [`Snapshot`].
//!
//! Pure: no I/O, no clock, no vendor knowledge (the file source and the HiBob source both call
//! this with their own field names, as configured in `[employee]`).

use super::{Rejected, Snapshot, SourceError};
use crate::config::{EmployeeConfig, StatusRule, StatusValues, listed};
use crate::model::{Email, Employee, EmployeeId, EmploymentStatus, Fields, Names, Phase};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::sync::Arc;

/// Longest accepted field value, in characters.
pub const MAX_FIELD_CHARS: usize = 2_000;

/// Earliest and latest plausible years for HR dates.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Builds an employee from raw fields. Values are trimmed and empty values dropped (an empty
/// HR value is absent, never ""). Every problem of the record is reported, not only the first.
/// Field names are shared through `keys` (one per snapshot).
///
/// Checks: no control or bidirectional-formatting characters (NUL, newline, RTL override…) in
/// any key or value; no value over [`MAX_FIELD_CHARS`]; the id parses; the status is present
/// and, when `status.inactive` is configured, in one of the two lists (compared
/// case-insensitively; without that list every value not active is inactive); dates are `YYYY-MM-DD` or RFC 3339
/// date-times (their date is taken) and real calendar dates; the time zone is a known IANA name; the manager id parses; fields named
/// like an email (last path segment `email`, or ending in `_email`/`Email`) are valid addresses.
pub fn build_employee<K: AsRef<str>, V: AsRef<str>>(
    fields: impl IntoIterator<Item = (K, V)>,
    origin: String,
    cfg: &EmployeeConfig,
    keys: &mut Names,
) -> Result<Employee, Vec<Rejected>> {
    let mut problems: Vec<(Option<String>, String)> = Vec::new();
    let fields = fields.into_iter();
    let mut kept: Vec<(Arc<str>, Trimmed<V>)> = Vec::with_capacity(fields.size_hint().0);
    for (key, value) in fields {
        let key = key.as_ref();
        if let Some(c) = key.chars().find(|c| is_forbidden_char(*c)) {
            let shown: String = key.chars().filter(|c| !is_forbidden_char(*c)).collect();
            problems.push((Some(shown), forbidden(c, "field name")));
            continue;
        }
        let text = value.as_ref().trim();
        if text.is_empty() {
            continue;
        }
        if let Some(c) = text.chars().find(|c| is_forbidden_char(*c)) {
            problems.push((Some(key.to_owned()), forbidden(c, "value")));
            continue;
        }
        // Bytes bound characters from above: count only a value that might be too long.
        if text.len() > MAX_FIELD_CHARS {
            let len = text.chars().count();
            if len > MAX_FIELD_CHARS {
                let msg =
                    format!("is {len} characters long; at most {MAX_FIELD_CHARS} are accepted");
                problems.push((Some(key.to_owned()), msg));
                continue;
            }
        }
        kept.push((keys.intern(key), Trimmed(value)));
    }
    let clean = Fields::from_pairs(kept);

    let id = match clean.get(&cfg.id) {
        None => {
            problems.push((
                Some(cfg.id.clone()),
                "is missing; every record needs an employee id".into(),
            ));
            None
        }
        Some(raw) => match EmployeeId::parse(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                problems.push((Some(cfg.id.clone()), format!("employee id {e}")));
                None
            }
        },
    };

    let status_field = &cfg.status.field;
    let (status, raw_status) = match clean.get(status_field) {
        None => {
            let msg = format!(
                "is missing; expected a status, one of {}",
                cfg.status.accepted()
            );
            problems.push((Some(status_field.clone()), msg));
            (EmploymentStatus::Inactive, String::new())
        }
        Some(s) => match cfg.status.classify(s) {
            Some(status) => (status, s.to_owned()),
            None => {
                problems.push((Some(status_field.clone()), unknown_status(s, &cfg.status)));
                (EmploymentStatus::Inactive, s.to_owned())
            }
        },
    };

    let mut date = |field: &str| -> Option<NaiveDate> {
        let text = clean.get(field)?;
        match parse_date(text) {
            Ok(d) => Some(d),
            Err(msg) => {
                problems.push((Some(field.to_owned()), msg));
                None
            }
        }
    };
    let start_date = cfg.start_date.as_deref().and_then(&mut date);
    let mut termination: Option<(NaiveDate, &str)> = None;
    for field in &cfg.termination_date {
        if let Some(d) = date(field)
            && termination.is_none_or(|(t, _)| d < t)
        {
            termination = Some((d, field));
        }
    }
    // An unreadable start date is already a problem of its own; a missing one is when the
    // phase or the activation mode needs it.
    let start_missing = cfg
        .start_date
        .as_deref()
        .is_none_or(|f| clean.get(f).is_none());
    if start_missing {
        let pre_hire = status == EmploymentStatus::Phase(Phase::PreHire);
        let terminated = status == EmploymentStatus::Phase(Phase::Terminated);
        if pre_hire || (cfg.require_start_date && !terminated) {
            let why = if pre_hire {
                "a pre-hire needs a start date to know when to activate"
            } else {
                "activation mode start_date needs every record's start date"
            };
            let field = cfg.start_date.clone();
            problems.push((field, format!("is missing; {why}; this employee's Okta user is left exactly as it is until HR fills it in")));
        }
    }
    // A termination date before the start date is kept: it is an earlier employment's (a
    // rehire; the planner ignores it) or a hire withdrawn before the start (with phase
    // terminated, the planner deactivates the STAGED user as a rescinded hire).

    let timezone = cfg.timezone.field.as_ref().and_then(|f| {
        let text = clean.get(f)?;
        match cfg.timezone.zone_of(text) {
            Ok(tz) => Some(tz),
            Err(msg) => {
                problems.push((Some(f.clone()), msg));
                None
            }
        }
    });

    let manager_id = cfg.manager.as_ref().and_then(|f| {
        let text = clean.get(f)?;
        match EmployeeId::parse(text) {
            Ok(id) => Some(id),
            Err(e) => {
                problems.push((Some(f.clone()), format!("manager id {e}")));
                None
            }
        }
    });

    for (key, value) in clean.iter() {
        if is_email_field(key)
            && let Err(e) = Email::parse(value)
        {
            problems.push((Some(key.to_owned()), format!("email {e}")));
        }
    }

    match id {
        Some(id) if problems.is_empty() => Ok(Employee {
            id,
            fields: clean,
            status,
            raw_status,
            start_date,
            termination_date: termination.map(|(d, _)| d),
            timezone,
            manager_id,
            origin,
        }),
        id => {
            let employee_id = id.map(|i| i.to_string());
            Err(problems
                .into_iter()
                .map(|(field, reason)| Rejected {
                    location: origin.clone(),
                    employee_id: employee_id.clone(),
                    field,
                    reason,
                })
                .collect())
        }
    }
}

/// A raw value seen without its surrounding whitespace (kept owned until [`Fields`] copies it).
struct Trimmed<V>(V);

impl<V: AsRef<str>> AsRef<str> for Trimmed<V> {
    fn as_ref(&self) -> &str {
        self.0.as_ref().trim()
    }
}

/// One built record, or why it was refused.
pub type BuiltRecord = Result<Employee, Vec<Rejected>>;

/// Builds the snapshot from built records in source order. An id that occurs in more than one
/// record (valid or not) is ambiguous: every record with it is refused, naming all places.
pub fn assemble(records: Vec<BuiltRecord>) -> Snapshot {
    fn id_of(r: &BuiltRecord) -> Option<&str> {
        match r {
            Ok(e) => Some(e.id.as_str()),
            Err(rej) => rej.iter().find_map(|r| r.employee_id.as_deref()),
        }
    }
    fn origin_of(r: &BuiltRecord) -> &str {
        match r {
            Ok(e) => &e.origin,
            Err(rej) => rej.first().map_or("", |r| r.location.as_str()),
        }
    }
    // Where each id occurs more than once: counted with borrowed ids (no copy of 100,000
    // ids), the places gathered only for the ambiguous ones.
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    {
        let mut seen: HashMap<&str, u32> = HashMap::with_capacity(records.len());
        for id in records.iter().filter_map(id_of) {
            *seen.entry(id).or_default() += 1;
        }
        for r in &records {
            if let Some(id) = id_of(r).filter(|id| seen.get(id).is_some_and(|n| *n > 1)) {
                places
                    .entry(id.to_owned())
                    .or_default()
                    .push(origin_of(r).to_owned());
            }
        }
    }
    let mut snapshot = Snapshot::default();
    snapshot.employees.reserve_exact(records.len());
    for r in records {
        let dup = id_of(&r).and_then(|id| places.get_key_value(id));
        match (r, dup) {
            (r, Some((id, all))) => {
                let all = all.join(", ");
                snapshot.rejected.push(Rejected {
                    location: origin_of(&r).to_owned(),
                    employee_id: Some(id.clone()),
                    field: None,
                    reason: format!("employee id {id} appears in more than one record ({all}); every record with this id is refused until HR fixes it"),
                });
                if let Err(mut rej) = r {
                    snapshot.rejected.append(&mut rej);
                }
            }
            (Ok(e), None) => snapshot.employees.push(e),
            (Err(mut rej), None) => snapshot.rejected.append(&mut rej),
        }
    }
    snapshot.employees.shrink_to_fit();
    snapshot
}

/// The fields the snapshot cannot do without, each with why: the id, the status (or phase)
/// field, and the start date when the activation mode needs it.
pub fn required_fields(cfg: &EmployeeConfig) -> Vec<(&str, &'static str)> {
    let mut out = vec![
        (cfg.id.as_str(), "every record needs an employee id"),
        (
            cfg.status.field.as_str(),
            "every record needs a status to know whether the person works here",
        ),
    ];
    if cfg.require_start_date
        && let Some(start) = cfg.start_date.as_deref()
    {
        out.push((
            start,
            "activation mode start_date needs each employee's start date",
        ));
    }
    out
}

/// [`assemble`], after checking that every [`required_fields`] field has a value in at least
/// one record (`keys` holds the names of every field with a value). A required field that no
/// record has is a renamed column or a withheld field, never "everyone's value is empty": the
/// fetch fails, naming the field, so no run plans from it. No records at all is left to the
/// snapshot guard.
pub fn finish(
    records: Vec<BuiltRecord>,
    keys: &Names,
    cfg: &EmployeeConfig,
    location: &str,
) -> Result<Snapshot, SourceError> {
    if !records.is_empty() {
        for (field, why) in required_fields(cfg) {
            if !keys.contains(field) {
                return Err(SourceError::MissingField {
                    location: location.to_owned(),
                    field: field.to_owned(),
                    message: format!(
                        "no record has a value for it, and {why}; fix the column or field name in the HR export, or the field named in [employee]"
                    ),
                });
            }
        }
    }
    Ok(assemble(records))
}

/// The error for a source with more than `[safety] max_employees` records, raised as soon as
/// the record over the limit is read (nothing more is read or kept).
pub fn too_many_records(location: &str, max: usize) -> SourceError {
    SourceError::Malformed {
        location: location.to_owned(),
        message: format!(
            "more than {max} records ([safety] max_employees = {max}); refusing to read further. A source this large is a wrong file or filter; if the company really is this big, raise max_employees"
        ),
    }
}

/// Parses `YYYY-MM-DD`, or an RFC 3339 / ISO 8601 date-time whose date is taken as written.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|d| d.date_naive())
        })
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|d| d.date())
        });
    match parsed {
        Some(d) if YEARS.contains(&d.year()) => Ok(d),
        Some(d) => Err(format!(
            "{d} is not a plausible date; expected a year from 1900 to 2199"
        )),
        None => Err(format!(
            "{text:?} is not a date; expected YYYY-MM-DD (a real calendar date) or an RFC 3339 date-time"
        )),
    }
}

/// Control characters and bidirectional-formatting characters never belong in HR data.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Why a status value in no configured list refuses the record, and what to do.
fn unknown_status(value: &str, rule: &StatusRule) -> String {
    match &rule.values {
        StatusValues::ActiveInactive { active, inactive } => format!(
            "status {value:?} is neither active ({}) nor inactive ({}); fix the status in the HR system, or add the value to [employee] status.active or status.inactive",
            listed(active),
            listed(inactive.as_deref().unwrap_or_default())
        ),
        StatusValues::Phases(_) => format!(
            "status {value:?} names no lifecycle phase; accepted: {}; fix the status in the HR system, or add the value to the right list of [employee] phase",
            rule.accepted()
        ),
    }
}

fn forbidden(c: char, what: &str) -> String {
    format!(
        "{what} contains a control or formatting character (U+{:04X}); remove it in the HR system",
        c as u32
    )
}

fn is_email_field(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    last.eq_ignore_ascii_case("email") || last.ends_with("_email") || last.ends_with("Email")
}

#[cfg(test)]
pub(crate) mod tests;
