//! Validation of `[employee]` (which HR fields carry id, status, dates, zone, manager; the
//! scope) and `[mapping]` (Okta attribute templates), with the file source's defaults.
//!
//! Pure: parses templates and scope expressions, does no I/O.

use super::okta::is_attribute_name;
use super::raw::{RawEmployee, RawMapping, RawOnConflict, RawOnEmpty, RawPhase, RawStatus};
use super::sections::Checker;
use super::types::*;
use crate::mapping::Template;
use crate::mapping::typed::ValueType;
use crate::model::Phase;
use crate::plan::scope::ScopeExpr;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// The attributes Okta requires to create a user; an explicit `[mapping]` must map them.
pub const REQUIRED_ATTRIBUTES: [&str; 4] = ["login", "email", "firstName", "lastName"];

/// The mapping used when `[mapping]` is absent (fits the file source's sample columns).
pub const DEFAULT_MAPPING: [(&str, &str); 12] = [
    ("login", "{email|lower}"),
    ("email", "{email|lower}"),
    ("firstName", "{first_name}"),
    ("lastName", "{last_name}"),
    ("displayName", "{first_name} {last_name}"),
    ("title", "{title}"),
    ("department", "{department}"),
    ("manager", "{manager.okta_login}"),
    ("managerId", "{manager.okta_id}"),
    ("primaryPhone", "{work_phone}"),
    ("mobilePhone", "{mobile_phone}"),
    ("userType", "{employment_type}"),
];

impl Checker<'_> {
    /// `[employee]`.
    pub fn employee(&mut self, raw: Option<&RawEmployee>) -> Option<EmployeeConfig> {
        let field =
            |v: Option<&String>, default: &str| v.cloned().unwrap_or_else(|| default.into());
        let Some(raw) = raw else {
            return Some(EmployeeConfig {
                id: "id".into(),
                status: StatusRule::active_inactive("status", vec!["Active".into()], None),
                start_date: Some("start_date".into()),
                require_start_date: false,
                termination_date: vec!["termination_date".into()],
                timezone: TimezoneRule::iana(Some("site_timezone"), chrono_tz::UTC),
                manager: Some("manager_id".into()),
                scope: None,
                max_records: usize::MAX,
            });
        };
        let status = match (&raw.status, &raw.phase) {
            (Some(_), Some(phase)) => {
                self.err(
                    Some(phase.span()),
                    "employee.phase",
                    "give either status = { field, active, inactive } or phase = { field, pre_hire, employed, on_leave, notice, terminated }, not both; phase says more, so remove status".into(),
                );
                None
            }
            (_, Some(phase)) => self.phase(phase),
            (status, None) => Some(self.status(status.as_ref().map(|s| s.get_ref()))),
        };
        let tz_default = raw.timezone.as_ref().and_then(|t| t.default.as_ref());
        let default_zone = self.zone(tz_default, "employee.timezone.default");
        let mut zone_values = Vec::new();
        for (value, zone) in raw
            .timezone
            .as_ref()
            .and_then(|t| t.values.as_ref())
            .into_iter()
            .flatten()
        {
            let key = format!("employee.timezone.values.{value}");
            if let Some(tz) = self.zone(Some(zone), &key) {
                zone_values.push((value.trim().to_owned(), tz));
            }
        }
        let scope = match &raw.scope {
            None => None,
            Some(s) => match ScopeExpr::parse(s.get_ref()) {
                Ok(expr) => Some(expr),
                Err(e) => {
                    let span = inner_span(s, e.position);
                    self.err(Some(span), "employee.scope", e.message);
                    None
                }
            },
        };
        let termination_date = match &raw.termination_date {
            Some(list) => list.0.clone(),
            None => vec!["termination_date".into()],
        };
        Some(EmployeeConfig {
            id: field(raw.id.as_ref(), "id"),
            status: status?,
            start_date: Some(field(raw.start_date.as_ref(), "start_date")),
            require_start_date: false,
            termination_date,
            timezone: TimezoneRule {
                field: Some(field(
                    raw.timezone.as_ref().and_then(|t| t.field.as_ref()),
                    "site_timezone",
                )),
                values: zone_values,
                default: default_zone?,
            },
            manager: Some(field(raw.manager.as_ref(), "manager_id")),
            scope,
            max_records: usize::MAX,
        })
    }

    /// `[employee] phase`: which values mean which phase. `employed` needs a value; a value
    /// may name one phase only (compared case-insensitively, trimmed).
    fn phase(&mut self, raw: &Spanned<RawPhase>) -> Option<StatusRule> {
        let r = raw.get_ref();
        let lists = [
            (Phase::PreHire, &r.pre_hire),
            (Phase::Employed, &r.employed),
            (Phase::OnLeave, &r.on_leave),
            (Phase::Notice, &r.notice),
            (Phase::Terminated, &r.terminated),
        ];
        let mut ok = true;
        if r.field.get_ref().trim().is_empty() {
            self.err(
                Some(r.field.span()),
                "employee.phase.field",
                "is empty; name the HR field holding the lifecycle status, e.g. \"internal.lifecycleStatus\"".into(),
            );
            ok = false;
        }
        if r.employed.iter().all(|v| v.get_ref().trim().is_empty()) {
            self.err(
                Some(raw.span()),
                "employee.phase.employed",
                "is empty; list the HR values that mean working, e.g. [\"employed\"]".into(),
            );
            ok = false;
        }
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
                    self.err(Some(v.span()), &format!("employee.phase.{phase}[{i}]"), msg);
                    ok = false;
                } else if !text.is_empty() {
                    seen.push((phase, text));
                }
            }
        }
        ok.then(|| StatusRule {
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
        })
    }

    /// `[employee] status`: the active values (at least one), and the optional inactive
    /// values, which may not repeat an active value (compared case-insensitively, trimmed).
    fn status(&mut self, raw: Option<&RawStatus>) -> StatusRule {
        let active = raw
            .and_then(|s| s.active.clone())
            .unwrap_or_else(|| vec!["Active".into()]);
        if active.iter().all(|v| v.trim().is_empty()) {
            self.err(
                None,
                "employee.status.active",
                "is empty; list the HR status values that mean active, e.g. [\"Active\"]".into(),
            );
        }
        let inactive = raw.and_then(|s| s.inactive.as_ref()).map(|spanned| {
            let list = spanned.get_ref();
            if list.iter().all(|v| v.get_ref().trim().is_empty()) {
                self.err(
                    Some(spanned.span()),
                    "employee.status.inactive",
                    "is empty; list the HR status values that mean inactive, e.g. [\"Inactive\"], or remove the key to count every value not in status.active as inactive".into(),
                );
            }
            for (i, value) in list.iter().enumerate() {
                if let Some(same) = active.iter().find(|a| same_status(a, value.get_ref())) {
                    let msg = format!(
                        "{:?} is also in status.active (as {same:?}; values are compared case-insensitively); a status is either active or inactive, remove it from one list",
                        value.get_ref()
                    );
                    self.err(
                        Some(value.span()),
                        &format!("employee.status.inactive[{i}]"),
                        msg,
                    );
                }
            }
            list.iter().map(|v| v.get_ref().clone()).collect()
        });
        let field = raw
            .and_then(|s| s.field.clone())
            .unwrap_or_else(|| "status".into());
        StatusRule::active_inactive(&field, active, inactive)
    }

    /// `[mapping]`; `anchor` is the Okta anchor attribute, which must not be mapped.
    pub fn mapping(
        &mut self,
        raw: Option<&Spanned<RawMapping>>,
        anchor: Option<&str>,
    ) -> Option<MappingConfig> {
        let Some(spanned) = raw else {
            return self.default_mapping();
        };
        let raw = spanned.get_ref();
        let mut ok = true;
        let mut attributes = BTreeMap::new();
        for (name, template) in &raw.attributes {
            let key = format!("mapping.{name}");
            if !is_attribute_name(name) {
                let msg = format!(
                    "{name:?} is not an Okta attribute name; expected letters, digits and _"
                );
                self.err(Some(template.span()), &key, msg);
                ok = false;
                continue;
            }
            if Some(name.as_str()) == anchor {
                let msg = format!(
                    "{name} is the anchor attribute (okta.anchor_attribute): hrsync fills it from the HR id; remove this line"
                );
                self.err(Some(template.span()), &key, msg);
                ok = false;
                continue;
            }
            match self.template(template, &key) {
                Some(t) => {
                    attributes.insert(
                        name.clone(),
                        AttributeMapping {
                            template: t,
                            values: BTreeMap::new(),
                            on_empty: OnEmpty::Keep,
                            schema: None,
                        },
                    );
                }
                None => ok = false,
            }
        }
        let missing: Vec<&str> = REQUIRED_ATTRIBUTES
            .into_iter()
            .filter(|a| !raw.attributes.contains_key(*a))
            .collect();
        if !missing.is_empty() {
            let msg = format!(
                "missing {}; Okta needs login, email, firstName and lastName to create a user",
                missing.join(", ")
            );
            self.err(Some(spanned.span()), "mapping", msg);
            ok = false;
        }
        for (attr, values) in &raw.values {
            match attributes.get_mut(attr.get_ref()) {
                Some(m) => m.values = values.clone(),
                None => ok &= self.unmapped(attr, "values"),
            }
        }
        for (attr, on_empty) in &raw.on_empty {
            match attributes.get_mut(attr.get_ref()) {
                Some(m) => {
                    m.on_empty = match on_empty.get_ref() {
                        RawOnEmpty::Keep => OnEmpty::Keep,
                        RawOnEmpty::Clear => OnEmpty::Clear,
                    }
                }
                None => ok &= self.unmapped(attr, "on_empty"),
            }
        }
        let mut types = BTreeMap::new();
        for (attr, ty) in &raw.types {
            let key = format!("mapping.types.{}", attr.get_ref());
            match ValueType::parse(ty.get_ref()) {
                Some(t) if attributes.contains_key(attr.get_ref()) => {
                    types.insert(attr.get_ref().clone(), t);
                }
                Some(_) => ok &= self.unmapped(attr, "types"),
                None => {
                    let accepted: Vec<&str> = ValueType::ALL.iter().map(|t| t.as_str()).collect();
                    let msg = format!(
                        "{:?} is not an Okta attribute type; expected one of {}",
                        ty.get_ref(),
                        accepted.join(", ")
                    );
                    self.err(Some(ty.span()), &key, msg);
                    ok = false;
                }
            }
        }
        let origins = raw
            .attributes
            .iter()
            .map(|(name, t)| {
                let (line, _) = self.ctx.src.position(t.span().start);
                (name.clone(), format!("{}:{line}", self.ctx.src.file))
            })
            .collect();
        let mut login_fallbacks = Vec::new();
        for (i, t) in raw.login_fallbacks.iter().enumerate() {
            match self.template(t, &format!("mapping.login_fallbacks[{i}]")) {
                Some(t) => login_fallbacks.push(t),
                None => ok = false,
            }
        }
        let on_conflict = match raw.on_conflict.as_ref().map(|c| *c.get_ref()) {
            None | Some(RawOnConflict::Report) => OnConflict::Report,
            Some(RawOnConflict::Adopt) => OnConflict::Adopt,
        };
        ok.then_some(MappingConfig {
            attributes,
            login_fallbacks,
            on_conflict,
            types,
            origins,
        })
    }

    fn unmapped(&mut self, attr: &Spanned<String>, table: &str) -> bool {
        let key = format!("mapping.{table}.{}", attr.get_ref());
        let msg = format!(
            "{} is not a mapped attribute; add {} = \"{{...}}\" to [mapping] first",
            attr.get_ref(),
            attr.get_ref()
        );
        self.err(Some(attr.span()), &key, msg);
        false
    }

    fn template(&mut self, t: &Spanned<String>, key: &str) -> Option<Template> {
        match Template::parse(t.get_ref()) {
            Ok(t) => Some(t),
            Err(e) => {
                let span = inner_span(t, e.position);
                self.err(Some(span), key, format!("template: {}", e.message));
                None
            }
        }
    }

    fn default_mapping(&mut self) -> Option<MappingConfig> {
        let mut attributes = BTreeMap::new();
        for (name, source) in DEFAULT_MAPPING {
            match Template::parse(source) {
                Ok(template) => {
                    attributes.insert(
                        name.to_owned(),
                        AttributeMapping {
                            template,
                            values: BTreeMap::new(),
                            on_empty: OnEmpty::Keep,
                            schema: None,
                        },
                    );
                }
                Err(e) => {
                    let msg = format!(
                        "the built-in default template {source:?} does not parse: {e}; write a [mapping] section"
                    );
                    self.err(None, &format!("mapping.{name}"), msg);
                    return None;
                }
            }
        }
        Some(MappingConfig {
            attributes,
            login_fallbacks: Vec::new(),
            on_conflict: OnConflict::Report,
            types: BTreeMap::new(),
            origins: BTreeMap::new(),
        })
    }
}

/// The span of the character at 1-based `position` inside a quoted string value (exact for
/// strings without escapes; the opening quote is skipped).
fn inner_span(v: &Spanned<String>, position: usize) -> Range<usize> {
    let chars_before = position.saturating_sub(1);
    let bytes: usize = v
        .get_ref()
        .chars()
        .take(chars_before)
        .map(char::len_utf8)
        .sum();
    let start = v.span().start + 1 + bytes;
    start..start + 1
}

#[cfg(test)]
mod tests;
