//! Test helpers: employees, Okta users, mappings and policies built in a line, plus an
//! in-memory applier that plays a plan against Okta users the way Okta would.

use super::{Action, Plan, Policy};
use crate::mapping::Template;
use crate::model::{
    Employee, EmployeeId, EmploymentStatus, OktaUser, OktaUserId, Phase, UserStatus,
};
use crate::policy::{AttributeMapping, MappingConfig, OnConflict, OnEmpty};
use crate::snapshot::Snapshot;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An active employee with first/last name and an example.com email, starting 2020-01-06.
pub fn emp(id: &str, first: &str, last: &str) -> Employee {
    let email = format!(
        "{}.{}@example.com",
        deunicode::deunicode(first).to_lowercase(),
        deunicode::deunicode(last).to_lowercase()
    );
    let mut fields = BTreeMap::new();
    fields.insert("id".to_owned(), id.to_owned());
    fields.insert("first_name".to_owned(), first.to_owned());
    fields.insert("last_name".to_owned(), last.to_owned());
    fields.insert("email".to_owned(), email);
    fields.insert("department".to_owned(), "Engineering".to_owned());
    Employee {
        id: EmployeeId::parse(id).unwrap(),
        fields: fields.into_iter().collect(),
        status: EmploymentStatus::Active,
        raw_status: "Active".to_owned(),
        start_date: Some(date("2020-01-06")),
        termination_date: None,
        timezone: None,
        manager_id: None,
        origin: format!("test:{id}"),
    }
}

/// Builder-style tweaks.
pub trait EmpExt {
    fn with(self, field: &str, value: &str) -> Self;
    fn without(self, field: &str) -> Self;
    fn starting(self, d: &str) -> Self;
    fn terminating(self, d: &str) -> Self;
    fn inactive(self) -> Self;
    /// The phase given outright (`[employee] phase`), with bob's value as the raw status.
    fn in_phase(self, phase: Phase) -> Self;
    fn zone(self, tz: Tz) -> Self;
    fn managed_by(self, id: &str) -> Self;
}

impl EmpExt for Employee {
    fn with(mut self, field: &str, value: &str) -> Self {
        self.fields.insert(field, value);
        self
    }
    fn without(mut self, field: &str) -> Self {
        self.fields.remove(field);
        self
    }
    fn starting(mut self, d: &str) -> Self {
        self.start_date = Some(date(d));
        self
    }
    fn terminating(mut self, d: &str) -> Self {
        self.termination_date = Some(date(d));
        self
    }
    fn inactive(mut self) -> Self {
        self.status = EmploymentStatus::Inactive;
        self.raw_status = "Inactive".to_owned();
        self
    }
    fn in_phase(mut self, phase: Phase) -> Self {
        self.status = EmploymentStatus::Phase(phase);
        self.raw_status = phase.name().to_owned();
        self
    }
    fn zone(mut self, tz: Tz) -> Self {
        self.timezone = Some(tz);
        self
    }
    fn managed_by(mut self, id: &str) -> Self {
        self.manager_id = Some(EmployeeId::parse(id).unwrap());
        self
    }
}

pub fn snapshot(employees: Vec<Employee>) -> Snapshot {
    Snapshot {
        employees,
        rejected: Vec::new(),
    }
}

/// An Okta user with a login and, when `anchor` is given, `employeeNumber`.
pub fn user(id: &str, login: &str, anchor: Option<&str>, status: UserStatus) -> OktaUser {
    let mut profile = BTreeMap::new();
    profile.insert("login".to_owned(), serde_json::json!(login));
    profile.insert("email".to_owned(), serde_json::json!(login));
    if let Some(a) = anchor {
        profile.insert("employeeNumber".to_owned(), serde_json::json!(a));
    }
    OktaUser {
        id: OktaUserId(id.to_owned()),
        status,
        transitioning_to_status: None,
        created: None,
        activated: None,
        status_changed: None,
        last_updated: None,
        profile: profile.into(),
        credentials: Default::default(),
    }
}

/// The Okta user an employee would have under [`mapping`] after a previous run.
pub fn user_for(id: &str, e: &Employee, status: UserStatus) -> OktaUser {
    let mut u = user(id, e.field("email").unwrap(), Some(e.id.as_str()), status);
    for (k, f) in [
        ("firstName", "first_name"),
        ("lastName", "last_name"),
        ("department", "department"),
    ] {
        if let Some(v) = e.field(f) {
            u.profile.insert(k, serde_json::json!(v));
        }
    }
    u
}

pub fn attr(template: &str) -> AttributeMapping {
    AttributeMapping {
        template: Template::parse(template).unwrap(),
        values: BTreeMap::new(),
        on_empty: OnEmpty::Keep,
        schema: None,
    }
}

/// login/email ← `{email|lower}`, firstName, lastName, department; one fallback.
pub fn mapping() -> MappingConfig {
    let mut attributes = BTreeMap::new();
    attributes.insert("login".to_owned(), attr("{email|lower}"));
    attributes.insert("email".to_owned(), attr("{email|lower}"));
    attributes.insert("firstName".to_owned(), attr("{first_name}"));
    attributes.insert("lastName".to_owned(), attr("{last_name}"));
    attributes.insert("department".to_owned(), attr("{department}"));
    MappingConfig {
        attributes,
        login_fallbacks: vec![
            Template::parse("{first_name|ascii|lower}.{last_name|ascii|lower}@example.com")
                .unwrap(),
        ],
        on_conflict: OnConflict::Report,
        types: BTreeMap::new(),
        origins: BTreeMap::new(),
    }
}

pub fn policy() -> Policy {
    Policy::with_defaults(mapping())
}

/// Applies a plan to Okta users in memory, as Okta would (new users get ids `00unew<N>`),
/// filling each reference from the create it names, which must come earlier in the plan.
pub fn apply(plan: &Plan, users: &mut Vec<OktaUser>) {
    let mut next = users.len();
    let mut created: std::collections::HashMap<crate::model::EmployeeId, String> =
        Default::default();
    for a in &plan.actions {
        let filled: Vec<(String, serde_json::Value)> = a
            .fills
            .iter()
            .map(|(attr, r)| {
                let id = created
                    .get(&r.created_for)
                    .unwrap_or_else(|| panic!("a reference to a later or absent create: {a:?}"));
                (attr.clone(), serde_json::Value::String(r.value(id)))
            })
            .collect();
        if let Some(id) = &a.okta_id
            && !matches!(a.action, Action::Update { .. })
            && let Some(u) = users.iter_mut().find(|u| &u.id == id)
        {
            u.status_changed = Some(plan.at);
        }
        let find = |users: &mut Vec<OktaUser>| {
            let id = a.okta_id.clone().unwrap();
            users.iter().position(|u| u.id == id).unwrap()
        };
        match &a.action {
            Action::Create { profile, activate } => {
                next += 1;
                let mut u = user(&format!("00unew{next}"), "", None, UserStatus::Staged);
                let mut profile = profile.clone();
                profile.extend(filled);
                u.profile = profile.into();
                if let Some(e) = &a.employee_id {
                    created.insert(e.clone(), u.id.as_str().to_owned());
                }
                u.status = if *activate {
                    UserStatus::Active
                } else {
                    UserStatus::Staged
                };
                users.push(u);
            }
            Action::Update { changes } => {
                let k = find(users);
                assert_ne!(
                    users[k].status,
                    UserStatus::Deprovisioned,
                    "update of a deactivated user: {a:?}"
                );
                for (name, c) in changes {
                    users[k]
                        .profile
                        .insert(name, c.new.clone().unwrap_or(serde_json::Value::Null));
                }
                for (name, value) in filled {
                    users[k].profile.insert(&name, value);
                }
            }
            Action::Activate => {
                let k = find(users);
                assert!(
                    matches!(
                        users[k].status,
                        UserStatus::Staged | UserStatus::Deprovisioned
                    ),
                    "{a:?}"
                );
                users[k].status = UserStatus::Active;
            }
            Action::Deactivate => {
                let k = find(users);
                assert_ne!(users[k].status, UserStatus::Deprovisioned, "{a:?}");
                users[k].status = UserStatus::Deprovisioned;
            }
            Action::Suspend => {
                let k = find(users);
                assert_eq!(users[k].status, UserStatus::Active, "{a:?}");
                users[k].status = UserStatus::Suspended;
            }
            Action::Unsuspend => {
                let k = find(users);
                assert_eq!(users[k].status, UserStatus::Suspended, "{a:?}");
                users[k].status = UserStatus::Active;
            }
        }
    }
}
