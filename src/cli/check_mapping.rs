//! The mapping part of `hrsync check`: HR fields the mapping reads that no record carries (a
//! typo, or a field the HR API withholds for lack of permission), and a few sample profiles as
//! the mapping renders them, with values masked so the output can be shared.

use crate::config::Config;
use crate::mapping::{Desired, FieldRef, MappingContext, desired_profile};
use crate::source::Snapshot;
use std::io::Write;

/// How many sample profiles to show.
const SAMPLES: usize = 3;

/// Prints the section; returns the number of fields no record carries.
pub fn report(config: &Config, snapshot: &Snapshot, out: &mut dyn Write) -> anyhow::Result<usize> {
    writeln!(out, "\nMapping:")?;
    let mut missing = 0;
    for (attr, mapping) in &config.mapping.attributes {
        for field in mapping.template.fields() {
            let (name, whose) = match field {
                FieldRef::Own(name) => (name, "employee"),
                FieldRef::Manager(name) => (name, "manager"),
                FieldRef::ManagerOktaLogin | FieldRef::ManagerOktaId => continue,
            };
            if !snapshot.employees.is_empty()
                && !snapshot.employees.iter().any(|e| e.field(name).is_some())
            {
                missing += 1;
                writeln!(
                    out,
                    "  warning: mapping.{attr} reads the {whose} field {name:?}, which no HR record has \
                     (a typo, or a field the HR API withholds: check the service user's permissions)"
                )?;
            }
        }
    }
    for employee in snapshot.employees.iter().take(SAMPLES) {
        match desired_profile(&config.mapping, &MappingContext::alone(employee)) {
            Ok(profile) => {
                let shown: Vec<String> = profile
                    .attributes
                    .iter()
                    .map(|(k, v)| match v {
                        Desired::Set(s) => format!("{k}={}", mask(s)),
                        Desired::Clear => format!("{k}=(clear)"),
                    })
                    .collect();
                writeln!(out, "  sample {}: {}", employee.id, shown.join(", "))?;
            }
            Err(err) => writeln!(out, "  sample {}: cannot be mapped: {err}", employee.id)?,
        }
    }
    Ok(missing)
}

/// `"Kowalski"` → `"K…(8)"`: enough to see the mapping works, not enough to leak the data.
fn mask(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => format!("{first}…({})", value.chars().count()),
        None => "(empty)".to_owned(),
    }
}

#[cfg(test)]
mod tests;
