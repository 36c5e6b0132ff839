//! From one employee to the Okta profile hrsync wants for them: renders every mapped attribute,
//! applies value maps and `on_empty`, and resolves `{manager.*}` through the manager's own HR
//! record and Okta identity. Pure: no I/O, no clock; it never decides lifecycle or logins.

use super::template::{FieldLookup, FieldRef, Filled, Rendered, Resolved, field_name};
use crate::model::{Employee, EmployeeId};
use crate::policy::{AttributeMapping, MappingConfig, OnEmpty};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What hrsync wants for one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Desired {
    /// Set the attribute to this text.
    Set(String),
    /// Clear the attribute (`on_empty = "clear"` and the value is empty).
    Clear,
}

/// The desired profile of one employee: only attributes hrsync has an opinion on. Attributes
/// that rendered empty with `on_empty = "keep"`, or that are pending (the manager is not in
/// Okta yet), are absent: no change is planned for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesiredProfile {
    /// Attribute → wanted value.
    pub attributes: BTreeMap<String, Desired>,
    /// Attributes left for a later run because they depend on the manager's Okta identity.
    pub pending: Vec<String>,
}

/// Why an employee cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("employee {employee}: attribute {attribute}: {message}")]
pub struct MappingError {
    /// The employee.
    pub employee: EmployeeId,
    /// The Okta attribute whose template failed.
    pub attribute: String,
    /// What is wrong.
    pub message: String,
}

/// The manager's Okta identity, as far as it is known in this run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ManagerOkta<'a> {
    /// The manager's Okta login (existing, or planned to be created in this run).
    pub login: Option<&'a str>,
    /// The manager's Okta user id (only when the manager already exists in Okta).
    pub id: Option<&'a str>,
}

/// Everything a template may read for one employee.
#[derive(Debug, Clone, Copy)]
pub struct MappingContext<'a> {
    /// The employee.
    pub employee: &'a Employee,
    /// Whether the employee's record names a manager.
    pub has_manager: bool,
    /// The manager's HR record, when the manager is in the snapshot.
    pub manager: Option<&'a Employee>,
    /// The manager's Okta identity, when known.
    pub manager_okta: ManagerOkta<'a>,
}

impl<'a> MappingContext<'a> {
    /// A context for an employee without any manager information.
    pub fn alone(employee: &'a Employee) -> Self {
        Self {
            employee,
            has_manager: employee.manager_id.is_some(),
            manager: None,
            manager_okta: ManagerOkta::default(),
        }
    }
}

impl<'a> FieldLookup for MappingContext<'a> {
    fn lookup(&self, field: &FieldRef) -> Resolved<'_> {
        let known = |v: Option<&'a str>| -> Resolved<'a> {
            match v {
                Some(v) if !v.is_empty() => Resolved::Value(Cow::Borrowed(v)),
                Some(_) => Resolved::Missing,
                None if self.has_manager && self.manager.is_some() => Resolved::Pending,
                None => Resolved::Missing,
            }
        };
        match field {
            FieldRef::Own(name) => match self.employee.field(name) {
                Some(v) if !v.is_empty() => Resolved::Value(Cow::Borrowed(v)),
                _ => Resolved::Missing,
            },
            FieldRef::Manager(name) => match self.manager.and_then(|m| m.field(name)) {
                Some(v) if !v.is_empty() => Resolved::Value(Cow::Borrowed(v)),
                _ => Resolved::Missing,
            },
            FieldRef::ManagerOktaLogin => known(self.manager_okta.login),
            FieldRef::ManagerOktaId => known(self.manager_okta.id),
        }
    }
}

/// Renders one attribute: template, then the value map, then `on_empty`.
/// `Ok(None)` means "no opinion" (empty with keep, or pending).
pub fn render_attribute(
    name: &str,
    mapping: &AttributeMapping,
    ctx: &MappingContext<'_>,
) -> Result<Option<Desired>, MappingError> {
    let mut buf = String::new();
    Ok(render_attribute_into(name, mapping, ctx, &mut buf)?.map(DesiredRef::to_desired))
}

/// What hrsync wants for one attribute, borrowed from a render buffer or the value map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesiredRef<'a> {
    /// Set the attribute to this text.
    Set(&'a str),
    /// Clear the attribute.
    Clear,
}

impl DesiredRef<'_> {
    /// The owned [`Desired`].
    pub fn to_desired(self) -> Desired {
        match self {
            Self::Set(v) => Desired::Set(v.to_owned()),
            Self::Clear => Desired::Clear,
        }
    }
}

/// [`render_attribute`] into a caller's buffer: nothing is allocated unless the buffer must
/// grow, so comparing a whole org's profiles with Okta's costs no allocation per attribute.
pub fn render_attribute_into<'b>(
    name: &str,
    mapping: &'b AttributeMapping,
    ctx: &MappingContext<'_>,
    buf: &'b mut String,
) -> Result<Option<DesiredRef<'b>>, MappingError> {
    let filled = mapping
        .template
        .render_into(ctx, buf)
        .map_err(|e| MappingError {
            employee: ctx.employee.id.clone(),
            attribute: name.to_owned(),
            message: e.message,
        })?;
    Ok(match filled {
        Filled::Value => Some(DesiredRef::Set(match mapping.values.get(buf.as_str()) {
            Some(mapped) => mapped.as_str(),
            None => buf.as_str(),
        })),
        Filled::Empty => match mapping.on_empty {
            OnEmpty::Keep => None,
            OnEmpty::Clear => Some(DesiredRef::Clear),
        },
        Filled::Pending => None,
    })
}

/// Maps one employee to their desired profile (every attribute of `[mapping]`, login
/// included; the planner replaces the login with the unique one it picks and adds the anchor).
pub fn desired_profile(
    mapping: &MappingConfig,
    ctx: &MappingContext<'_>,
) -> Result<DesiredProfile, MappingError> {
    let mut out = DesiredProfile::default();
    let mut buf = String::new();
    for (name, attr) in &mapping.attributes {
        match render_attribute_into(name, attr, ctx, &mut buf)? {
            Some(d) => {
                out.attributes.insert(name.clone(), d.to_desired());
            }
            None => {
                if is_pending(attr, ctx) {
                    out.pending.push(name.clone());
                }
            }
        }
    }
    Ok(out)
}

fn is_pending(attr: &AttributeMapping, ctx: &MappingContext<'_>) -> bool {
    matches!(attr.template.render(ctx), Ok(Rendered::Pending))
}

/// The names of the fields a mapping reads, as written (for `hrsync check`).
pub fn referenced_fields(mapping: &MappingConfig) -> Vec<String> {
    let mut out: Vec<String> = mapping
        .attributes
        .values()
        .flat_map(|a| a.template.fields().map(field_name).collect::<Vec<_>>())
        .chain(
            mapping
                .login_fallbacks
                .iter()
                .flat_map(|t| t.fields().map(field_name).collect::<Vec<_>>()),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
