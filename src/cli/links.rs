//! `hrsync links [--employee ID] [--format text|json]`: the journal's link table, employee id ↔
//! Okta user id with every login and email seen on that user. Reads the journal only.

use super::output::{EXIT_OK, Format};
use crate::journal::Journal;
use crate::model::EmployeeId;
use crate::plan::render;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Options of `hrsync links`.
#[derive(Debug, Clone, clap::Args)]
pub struct LinksArgs {
    /// Only this employee's links.
    #[arg(long, value_name = "ID")]
    pub employee: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `hrsync links`.
pub fn run(config_path: &Path, args: &LinksArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let journal = Journal::from_config_read_only(&config.journal)?;
    let employee = args
        .employee
        .as_deref()
        .map(EmployeeId::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--employee: employee id {e}"))?;
    let links = journal.links(employee.as_ref().map(EmployeeId::as_str))?;
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&links)?)?,
        Format::Text => {
            if links.is_empty() {
                writeln!(out, "No links recorded yet (a run records them).")?;
            } else {
                let rows: Vec<Vec<String>> = links
                    .iter()
                    .map(|l| {
                        vec![
                            l.employee_id.clone(),
                            l.okta_id.clone(),
                            l.first_seen.clone(),
                            l.addresses.join(", "),
                        ]
                    })
                    .collect();
                out.write_all(
                    render::table(
                        &["EMPLOYEE", "OKTA ID", "FIRST SEEN", "LOGINS AND EMAILS"],
                        &rows,
                    )
                    .as_bytes(),
                )?;
            }
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
