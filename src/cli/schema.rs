//! `hrsync schema plan|apply`: the custom attributes the mapping (and the anchor) need that
//! Okta's user schema lacks; `plan` shows them, `apply` adds them in one batched partial POST
//! and reads the schema again to confirm. Add only: it never removes an attribute (that
//! deletes every user's value) nor changes one's type; types come from `[mapping.types]`
//! (string by default), and the anchor is created `unique`.

use crate::config::Config;
use crate::mapping::typed::{MissingAttribute, UserSchema};
use crate::okta::{NewAttribute, OktaClient, OktaRead, OktaWrite, ReadOnly};
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `hrsync schema`.
#[derive(Debug, Clone, clap::Args)]
pub struct SchemaArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SchemaAction,
}

/// `schema plan` or `schema apply`.
#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum SchemaAction {
    /// Show the custom attributes the mapping needs that Okta's user schema lacks.
    Plan,
    /// Add them (one request; needs a Super or Org Admin token, or `okta.schemas.manage`).
    Apply,
}

/// The attribute `schema apply` creates for a missing one: its configured type, and unique
/// when it is the anchor (so Okta refuses a second account for one person).
pub fn new_attribute(m: &MissingAttribute) -> NewAttribute {
    NewAttribute {
        name: m.name.clone(),
        title: m.name.clone(),
        value_type: m.value_type,
        unique: m.anchor && m.value_type.can_be_unique(),
    }
}

fn additions(config: &Config, schema: &UserSchema) -> Vec<NewAttribute> {
    schema
        .missing(&config.mapping, &config.okta.anchor_attribute)
        .iter()
        .map(new_attribute)
        .collect()
}

fn describe(m: &MissingAttribute) -> String {
    let a = new_attribute(m);
    let unique = if a.unique { ", unique" } else { "" };
    format!("+ {} ({}{unique}): {m}", a.name, a.value_type)
}

/// Runs `schema plan` or `schema apply`.
pub async fn run(
    config_path: &Path,
    args: &SchemaArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    // Read through a read-only handle; only `apply` takes the write handle back out of it.
    let reader = ReadOnly(OktaClient::new(&config.okta).context("Okta client")?);
    let schema = reader
        .read_schema()
        .await
        .context("cannot read Okta's user schema (OAuth needs the okta.schemas.read scope)")?;
    let missing = schema.missing(&config.mapping, &config.okta.anchor_attribute);
    if missing.is_empty() {
        writeln!(
            out,
            "Okta's user schema defines every attribute the mapping writes; nothing to add."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = match args.action {
        SchemaAction::Plan => "would add",
        SchemaAction::Apply => "adds",
    };
    writeln!(
        out,
        "hrsync schema {verb} {} custom attribute(s) to Okta's user schema (default user type):",
        missing.len()
    )?;
    for m in &missing {
        writeln!(out, "  {}", describe(m))?;
    }
    if let SchemaAction::Plan = args.action {
        writeln!(
            out,
            "Run `hrsync schema apply` to add them (add only: nothing is removed or retyped)."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let wanted = additions(&config, &schema);
    let client = reader.0;
    client
        .add_schema_attributes(&wanted)
        .await
        .context("Okta refused to add the custom attributes; nothing was added")?;
    // Okta has lost concurrent schema writes before: confirm from a fresh read.
    let after = client
        .read_schema()
        .await
        .context("the attributes were sent, but the schema could not be read back")?;
    let still = after.missing(&config.mapping, &config.okta.anchor_attribute);
    if !still.is_empty() {
        let names: Vec<&str> = still.iter().map(|m| m.name.as_str()).collect();
        anyhow::bail!(
            "Okta answered the schema update, but a fresh read still lacks {}; run `hrsync schema apply` again",
            names.join(", ")
        );
    }
    for a in &wanted {
        writeln!(
            out,
            "added {} ({}{})",
            a.name,
            a.value_type,
            if a.unique { ", unique" } else { "" }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
