//! `[employee]`: which HR fields carry the id, the lifecycle status, the dates, the zone and
//! the manager, and who is in scope, deserialized directly into [`EmployeeConfig`] with a
//! default for every key: the status and phase tables checked (a value in one list only, the
//! lists that must not be empty), the zones IANA zones, the scope parsed. Mistakes found
//! after a table was read keep their own positions ([`value::mistakes`]).
//!
//! Whether both `status` and `phase` are given is checked by the loader after
//! deserialization (`checks.rs`), which also fills what other sections decide
//! (`require_start_date`, `max_records`). Pure parsing; no I/O.

use super::types::{StatusRule, StatusValues, same_status};
use super::value::{self, Mistake, error_at, inner_span, mistakes};
use crate::model::Phase;
use crate::plan::scope::ScopeExpr;
use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::collections::BTreeMap;
use toml::Spanned;

/// `[employee]`: where the planner's facts come from in an HR record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmployeeConfig {
    /// Field holding the employee id; default `id`.
    pub id: String,
    /// Field and values that give the lifecycle phase: `status = { field, active, inactive }`
    /// (default field `status`, active `["Active"]`), or what `phase` gave.
    pub status: StatusRule,
    /// `phase = { field, pre_hire, employed, on_leave, notice, terminated }` as read; the
    /// loader makes it the status rule, so it is `None` in a loaded config.
    #[serde(deserialize_with = "phase_rule")]
    pub phase: Option<StatusRule>,
    /// Field holding the start date; default `start_date`.
    pub start_date: Option<String>,
    /// Whether every record but a terminated one must have a readable start date: true in
    /// activation mode `start_date` (a pre-hire needs one in every mode). A record without
    /// one is refused, so its Okta user is left exactly as it is.
    #[serde(skip)]
    pub require_start_date: bool,
    /// Fields holding termination dates (a string or an array); the earliest present one
    /// counts. Default `termination_date`.
    #[serde(deserialize_with = "one_or_many")]
    pub termination_date: Vec<String>,
    /// Field holding an IANA time zone (or a name mapped to one), and the default.
    pub timezone: TimezoneRule,
    /// Field holding the manager's employee id; default `manager_id`.
    pub manager: Option<String>,
    /// Who is provisioned at all (a scope expression); everyone when absent.
    #[serde(deserialize_with = "scope")]
    pub scope: Option<ScopeExpr>,
    /// Most records a source reads (`[safety] max_employees`); one more fails the fetch.
    #[serde(skip)]
    pub max_records: usize,
}

impl Default for EmployeeConfig {
    /// The file source's sample columns: `id`, `status` (Active), `start_date`,
    /// `termination_date`, `site_timezone` (UTC), `manager_id`; everyone in scope.
    fn default() -> Self {
        Self {
            id: "id".into(),
            status: StatusRule::default(),
            phase: None,
            start_date: Some("start_date".into()),
            require_start_date: false,
            termination_date: vec!["termination_date".into()],
            timezone: TimezoneRule::default(),
            manager: Some("manager_id".into()),
            scope: None,
            max_records: usize::MAX,
        }
    }
}

impl Default for StatusRule {
    /// `status = { field = "status", active = ["Active"] }`: every other value inactive.
    fn default() -> Self {
        StatusRule::active_inactive("status", vec!["Active".into()], None)
    }
}

/// `status = { field, active, inactive }` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusKeys {
    field: Option<String>,
    active: Option<Spanned<Vec<String>>>,
    inactive: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[employee] status`: the active values (at least one), and the optional inactive values,
/// which may not repeat an active value (compared case-insensitively, trimmed).
impl<'de> Deserialize<'de> for StatusRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let keys = Spanned::<StatusKeys>::deserialize(d)?;
        let table = keys.span();
        let keys = keys.into_inner();
        let mut found: Vec<Mistake> = Vec::new();
        let active = match keys.active {
            Some(a) => {
                if a.get_ref().iter().all(|v| v.trim().is_empty()) {
                    let msg =
                        "is empty; list the HR status values that mean active, e.g. [\"Active\"]";
                    found.push((
                        a.span().start,
                        Some("employee.status.active".into()),
                        msg.into(),
                    ));
                }
                a.into_inner()
            }
            None => vec!["Active".into()],
        };
        let inactive = keys.inactive.map(|spanned| {
            if spanned.get_ref().iter().all(|v| v.get_ref().trim().is_empty()) {
                let msg = "is empty; list the HR status values that mean inactive, e.g. [\"Inactive\"], or remove the key to count every value not in status.active as inactive";
                found.push((spanned.span().start, None, msg.into()));
            }
            for (i, value) in spanned.get_ref().iter().enumerate() {
                if let Some(same) = active.iter().find(|a| same_status(a, value.get_ref())) {
                    let msg = format!(
                        "{:?} is also in status.active (as {same:?}; values are compared case-insensitively); a status is either active or inactive, remove it from one list",
                        value.get_ref()
                    );
                    let key = format!("employee.status.inactive[{i}]");
                    found.push((value.span().start, Some(key), msg));
                }
            }
            spanned.into_inner().into_iter().map(Spanned::into_inner).collect()
        });
        if !found.is_empty() {
            return Err(mistakes(table.start, &found));
        }
        let field = keys.field.unwrap_or_else(|| "status".into());
        Ok(StatusRule::active_inactive(&field, active, inactive))
    }
}

/// `phase = { field, pre_hire, employed, on_leave, notice, terminated }` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhaseKeys {
    field: Spanned<String>,
    #[serde(default)]
    pre_hire: Vec<Spanned<String>>,
    #[serde(default)]
    employed: Vec<Spanned<String>>,
    #[serde(default)]
    on_leave: Vec<Spanned<String>>,
    #[serde(default)]
    notice: Vec<Spanned<String>>,
    #[serde(default)]
    terminated: Vec<Spanned<String>>,
}

/// `[employee] phase`: which values mean which phase. `employed` needs a value; a value may
/// name one phase only (compared case-insensitively, trimmed).
fn phase_rule<'de, D: Deserializer<'de>>(d: D) -> Result<Option<StatusRule>, D::Error> {
    let keys = Spanned::<PhaseKeys>::deserialize(d)?;
    let table = keys.span();
    let r = keys.into_inner();
    let mut found: Vec<Mistake> = Vec::new();
    if r.field.get_ref().trim().is_empty() {
        let msg = "is empty; name the HR field holding the lifecycle status, e.g. \"internal.lifecycleStatus\"";
        found.push((r.field.span().start, None, msg.into()));
    }
    if r.employed.iter().all(|v| v.get_ref().trim().is_empty()) {
        let msg = "is empty; list the HR values that mean working, e.g. [\"employed\"]";
        found.push((
            table.start,
            Some("employee.phase.employed".into()),
            msg.into(),
        ));
    }
    let lists = [
        (Phase::PreHire, &r.pre_hire),
        (Phase::Employed, &r.employed),
        (Phase::OnLeave, &r.on_leave),
        (Phase::Notice, &r.notice),
        (Phase::Terminated, &r.terminated),
    ];
    let mut seen: Vec<(Phase, &str)> = Vec::new();
    for (phase, values) in lists {
        for (i, v) in values.iter().enumerate() {
            let text = v.get_ref().trim();
            if let Some((other, as_written)) =
                seen.iter().find(|(_, s)| same_status(s, text)).copied()
            {
                let msg = format!(
                    "{text:?} is also listed under phase.{other} (as {as_written:?}; values are compared case-insensitively); a value names one phase, remove it from one list"
                );
                let key = format!("employee.phase.{phase}[{i}]");
                found.push((v.span().start, Some(key), msg));
            } else if !text.is_empty() {
                seen.push((phase, text));
            }
        }
    }
    if !found.is_empty() {
        return Err(mistakes(table.start, &found));
    }
    Ok(Some(StatusRule {
        field: r.field.get_ref().trim().to_owned(),
        values: StatusValues::Phases(
            lists
                .iter()
                .map(|(p, values)| {
                    let v = values.iter().map(|v| v.get_ref().trim().to_owned());
                    (*p, v.filter(|v| !v.is_empty()).collect())
                })
                .collect(),
        ),
    }))
}

/// A field name or an array of field names (a wrong element is reported at its place).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a field name or an array of field names")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

/// `values = { "London HQ" = "Europe/London" }`: each value an IANA zone, at its position.
fn zone_values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Tz)>, D::Error> {
    #[derive(Deserialize)]
    struct Zone(#[serde(deserialize_with = "value::zone")] Tz);
    let map = BTreeMap::<String, Zone>::deserialize(d)?;
    Ok(map
        .into_iter()
        .map(|(value, Zone(tz))| (value.trim().to_owned(), tz))
        .collect())
}

/// A scope expression; a mistake is placed at its character inside the string.
fn scope<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ScopeExpr>, D::Error> {
    let text = Spanned::<String>::deserialize(d)?;
    match ScopeExpr::parse(text.get_ref()) {
        Ok(expr) => Ok(Some(expr)),
        Err(e) => Err(error_at(inner_span(&text, e.position).start, e.message)),
    }
}

/// Where the employee's time zone comes from (`[employee] timezone = { field, values,
/// default }`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimezoneRule {
    /// Field holding an IANA zone name (or a value listed in `values`), if any; default
    /// `site_timezone`.
    pub field: Option<String>,
    /// Field values → zone (a bob site name → its IANA zone), compared like statuses.
    #[serde(deserialize_with = "zone_values")]
    pub values: Vec<(String, Tz)>,
    /// Zone used when the field is absent or empty; default UTC.
    #[serde(deserialize_with = "value::zone")]
    pub default: Tz,
}

impl Default for TimezoneRule {
    /// The `site_timezone` field, no value table, UTC.
    fn default() -> Self {
        Self::iana(Some("site_timezone"), chrono_tz::UTC)
    }
}

impl TimezoneRule {
    /// A rule reading IANA names from `field` (no value table).
    pub fn iana(field: Option<&str>, default: Tz) -> Self {
        Self {
            field: field.map(str::to_owned),
            values: Vec::new(),
            default,
        }
    }

    /// The zone a field value names: a listed value first, then an IANA name; the error says
    /// what is accepted.
    pub fn zone_of(&self, text: &str) -> Result<Tz, String> {
        if let Some((_, tz)) = self.values.iter().find(|(v, _)| same_status(v, text)) {
            return Ok(*tz);
        }
        text.parse::<Tz>().map_err(|_| {
            if self.values.is_empty() {
                format!("unknown time zone {text:?}; expected an IANA name such as Europe/London")
            } else {
                let listed: Vec<&str> = self.values.iter().map(|(v, _)| v.as_str()).collect();
                format!(
                    "{text:?} is neither a value listed in [employee] timezone.values ({}) nor an IANA time zone; add it to timezone.values with its zone",
                    listed.join(", ")
                )
            }
        })
    }
}
