//! The planner's policy types: the mapping, activation, termination and safety settings as
//! the planner reads them. Plain data, built by the root crate's configuration loader (which
//! parses, validates and reports errors); this crate never reads a file.

use crate::bounded::{int, number};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

use crate::mapping::Template;
use crate::mapping::typed::{AttributeSchema, ValueType};
use chrono::NaiveTime;
use std::collections::BTreeMap;

/// `[mapping]`.
#[derive(Debug, Clone)]
pub struct MappingConfig {
    /// Okta attribute → how its value is computed.
    pub attributes: BTreeMap<String, AttributeMapping>,
    /// Templates tried in order when the login is taken by someone else.
    pub login_fallbacks: Vec<Template>,
    /// What to do when an unanchored Okta user already has the login.
    pub on_conflict: OnConflict,
    /// `[mapping.types]`: the type `hrsync schema apply` gives an attribute it adds (string
    /// when absent). Values are converted to the type Okta's schema says, not this one.
    pub types: BTreeMap<String, ValueType>,
    /// Where each mapped attribute is written (`hrsync.toml:31`), for messages; empty for the
    /// built-in mapping.
    pub origins: BTreeMap<String, String>,
}

/// One mapped attribute.
#[derive(Debug, Clone)]
pub struct AttributeMapping {
    /// The template.
    pub template: Template,
    /// HR value → Okta value translations applied after the template (`values.<attr>`).
    pub values: BTreeMap<String, String>,
    /// What an empty result does to the Okta value.
    pub on_empty: OnEmpty,
    /// The attribute in Okta's user schema, as read this run (`None`: not read, or not
    /// defined; the value is then an unchecked string).
    pub schema: Option<AttributeSchema>,
}

/// What an empty mapped value does (`[mapping.on_empty] attr = "keep"` or `"clear"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnEmpty {
    /// Leave the Okta value as it is (default: a field the HR API omits never blanks Okta).
    #[default]
    Keep,
    /// Clear the Okta value.
    Clear,
}

/// What to do with an unanchored Okta user that has a new employee's login
/// (`[mapping] on_conflict`, default `report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    /// Report a conflict and do nothing.
    #[default]
    Report,
    /// Stamp the anchor on it and manage it from then on.
    Adopt,
}

/// `[activation]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ActivationConfig {
    /// The activation mode; default `start_date`.
    pub mode: ActivationMode,
    /// When users are created: `"on_record"` (default) or `{ days_before_start = N }`.
    pub create: CreateTiming,
    /// Local wall-clock time of activation on the start date, `"HH:MM"`; default 09:00.
    #[serde(deserialize_with = "time_of_day")]
    pub activate_at: NaiveTime,
    /// What happens to the Okta user of a person on leave; default `keep`.
    pub on_leave: OnLeave,
}

impl Default for ActivationConfig {
    /// DESIGN.md's defaults: start date, create on record, activate at 09:00, keep on leave.
    fn default() -> Self {
        Self {
            mode: ActivationMode::StartDate,
            create: CreateTiming::OnRecord,
            activate_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            on_leave: OnLeave::Keep,
        }
    }
}

/// Reads `"09:00"` or `"09:00:30"` (24-hour), or a TOML local time (`09:00:00`, which
/// arrives as a one-entry map holding its text).
fn time_of_day<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a time of day such as \"09:00\"")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            match map.next_key::<String>()? {
                Some(_) => map.next_value::<String>(),
                None => Err(de::Error::invalid_length(0, &self)),
            }
        }
    }
    let text = d.deserialize_any(V)?;
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| {
            de::Error::custom(format!(
                "{text:?} is not a time of day; expected \"HH:MM\" (24-hour), e.g. \"09:00\""
            ))
        })
}

/// `[activation] on_leave`: the Okta user of a person whose phase is `on_leave`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnLeave {
    /// Left as an employed person's (active).
    #[default]
    Keep,
    /// Suspended while on leave, unsuspended on return.
    Suspend,
}

/// The four activation modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationMode {
    /// Create and activate at once.
    Always,
    /// Create STAGED; an admin activates.
    Never,
    /// Activated iff the HR status is active.
    EmployeeStatus,
    /// Create STAGED, activate at `activate_at` on the start date.
    StartDate,
}

/// When a new employee's Okta user is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateTiming {
    /// As soon as the record appears.
    OnRecord,
    /// This many days before the start date.
    DaysBeforeStart(u32),
}

/// `create = "on_record"` or `create = { days_before_start = N }` (0..=365).
impl<'de> Deserialize<'de> for CreateTiming {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CreateTiming;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"on_record\" or { days_before_start = N }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CreateTiming, E> {
                if v == "on_record" {
                    Ok(CreateTiming::OnRecord)
                } else {
                    Err(E::unknown_variant(v, &["on_record"]))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CreateTiming, A::Error> {
                let mut days = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "days_before_start" {
                        return Err(de::Error::unknown_field(&key, &["days_before_start"]));
                    }
                    days = Some(map.next_value::<i64>()?);
                }
                let n = days.ok_or_else(|| de::Error::missing_field("days_before_start"))?;
                match u32::try_from(n) {
                    Ok(n) if n <= 365 => Ok(CreateTiming::DaysBeforeStart(n)),
                    _ => Err(de::Error::custom(format!(
                        "days_before_start = {n} is out of range; expected 0 to 365"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `[termination]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TerminationConfig {
    /// What happens to a leaver's user; default `deactivate`.
    pub action: TerminationAction,
    /// When it happens; default `termination_date`.
    pub at: TerminationAt,
    /// What happens to anchored users with no HR record; default `report`.
    pub orphans: OrphanPolicy,
}

impl Default for TerminationConfig {
    /// DESIGN.md's defaults: deactivate at the end of the termination date, report orphans.
    fn default() -> Self {
        Self {
            action: TerminationAction::Deactivate,
            at: TerminationAt::TerminationDate,
            orphans: OrphanPolicy::Report,
        }
    }
}

/// What happens to a leaver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminationAction {
    /// Deactivate (DEPROVISIONED).
    Deactivate,
    /// Suspend (reversible; keeps groups and apps).
    Suspend,
    /// Nothing.
    None,
}

/// When a leaver is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminationAt {
    /// As soon as HR marks them inactive.
    Immediately,
    /// At the end of the termination date, local time.
    TerminationDate,
}

/// What happens to orphans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrphanPolicy {
    /// Report only.
    Report,
    /// Deactivate (under the plan limits).
    Deactivate,
}

/// `[safety]`, deserialized directly from the config file; every key is optional (see
/// [`SafetyConfig::default`]).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SafetyConfig {
    /// Most deactivations/suspensions in one run (0..=1,000,000, default 25).
    #[serde(deserialize_with = "int::<0, 1_000_000, u32, _>")]
    pub max_deactivations_per_run: u32,
    /// Most deactivations/suspensions as a percentage of managed users (0..=100, default 5).
    #[serde(deserialize_with = "number::<0, 100, _>")]
    pub max_deactivation_percent: f64,
    /// Refuse a snapshot smaller than this fraction of the last good one (0..=1, default
    /// 0.9).
    #[serde(deserialize_with = "number::<0, 1, _>")]
    pub min_snapshot_ratio: f64,
    /// Refuse a snapshot with more rejected records than this percentage (0..=100, default
    /// 2).
    #[serde(deserialize_with = "number::<0, 100, _>")]
    pub max_rejected_percent: f64,
    /// Refuse a snapshot larger than this multiple of the last good one (once that one had
    /// at least [`GROWTH_GUARD_FROM`] employees); 1..=1000, default 2.
    #[serde(deserialize_with = "number::<1, 1000, _>")]
    pub max_snapshot_growth: f64,
    /// Most creates in one run (the initial load of an empty journal is exempt);
    /// 0..=1,000,000, default 50.
    #[serde(deserialize_with = "int::<0, 1_000_000, u32, _>")]
    pub max_creates_per_run: u32,
    /// Most creates as a percentage of managed users (0..=1000, default 25).
    #[serde(deserialize_with = "number::<0, 1000, _>")]
    pub max_create_percent: f64,
    /// Most relinks in one run; more are an id-format change, and all are held
    /// (0..=1,000,000, default 5).
    #[serde(deserialize_with = "int::<0, 1_000_000, u32, _>")]
    pub max_relinks_per_run: u32,
    /// Most login renames in one run (0..=1,000,000, default 25).
    #[serde(deserialize_with = "int::<0, 1_000_000, u32, _>")]
    pub max_login_changes_per_run: u32,
    /// Most login renames as a percentage of managed users (0..=100, default 10).
    #[serde(deserialize_with = "number::<0, 100, _>")]
    pub max_login_change_percent: f64,
    /// Most records an HR snapshot may hold (a larger one is refused while it is read);
    /// 1..=100,000,000, default 1,000,000.
    #[serde(deserialize_with = "int::<1, 100_000_000, usize, _>")]
    pub max_employees: usize,
}

impl Default for SafetyConfig {
    /// DESIGN.md's defaults.
    fn default() -> Self {
        Self {
            max_deactivations_per_run: 25,
            max_deactivation_percent: 5.0,
            min_snapshot_ratio: 0.9,
            max_rejected_percent: 2.0,
            max_snapshot_growth: 2.0,
            max_creates_per_run: 50,
            max_create_percent: 25.0,
            max_relinks_per_run: 5,
            max_login_changes_per_run: 25,
            max_login_change_percent: 10.0,
            max_employees: 1_000_000,
        }
    }
}

/// Below this many employees in the last good snapshot, growth is not guarded: a small org
/// can double in one hiring wave.
pub const GROWTH_GUARD_FROM: usize = 20;
