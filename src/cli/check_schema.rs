//! The schema part of `hrsync check`: reads Okta's user schema once and reports every
//! attribute the mapping writes that it lacks (with the mapping line and the fix), an anchor
//! attribute that is not unique, and `[mapping.types]` entries that disagree with Okta's
//! types. Reads only.

use crate::config::Config;
use crate::errors::describe;
use crate::okta::{OktaClient, ReadOnly};
use crate::sync::schema::{SchemaRead, read};
use std::io::Write;

/// Prints the schema section; returns false when a run would stop on this schema.
pub async fn report(config: &Config, out: &mut dyn Write) -> anyhow::Result<bool> {
    writeln!(out, "\nOkta user schema:")?;
    let read = match OktaClient::new(&config.okta) {
        Ok(client) => read(&ReadOnly(client)).await,
        Err(e) => Err(e),
    };
    let schema = match read {
        Ok(SchemaRead::Read(schema)) => schema,
        Ok(SchemaRead::Unreadable(e)) => {
            writeln!(
                out,
                "  warning: cannot read it ({}); runs send values as text, unchecked; grant the okta.schemas.read scope",
                describe(&e)
            )?;
            return Ok(true);
        }
        Err(e) => {
            writeln!(out, "  cannot read it: {}", describe(&e))?;
            return Ok(false);
        }
    };
    let custom = schema.attributes.values().filter(|a| a.custom).count();
    writeln!(
        out,
        "  {} attributes ({custom} custom)",
        schema.attributes.len()
    )?;
    let anchor = &config.okta.anchor_attribute;
    let missing = schema.missing(&config.mapping, anchor);
    for m in &missing {
        writeln!(out, "  missing: {m}")?;
    }
    if !missing.is_empty() {
        writeln!(
            out,
            "  a sync stops before any write until these exist: add them in Okta's Profile Editor, or run `hrsync schema apply`"
        )?;
    }
    if let Some(a) = schema.get(anchor)
        && !a.unique
    {
        writeln!(
            out,
            "  warning: the anchor attribute {anchor} is not unique in Okta's schema, so Okta does not refuse a second account for one person; use a custom attribute created unique (e.g. okta.anchor_attribute = \"hrEmployeeId\" and `hrsync schema apply`)"
        )?;
    }
    for (name, declared) in &config.mapping.types {
        if let Some(a) = schema.get(name)
            && a.value_type != *declared
        {
            writeln!(
                out,
                "  warning: [mapping.types] {name} = \"{declared}\", but Okta's schema types it {}; values are converted to {} (Okta's type wins; hrsync never retypes)",
                a.value_type, a.value_type
            )?;
        }
    }
    Ok(missing.is_empty())
}
