//! Rendering a [`Plan`] for people and machines: text (the counts, then one block per action
//! with one changed attribute per line, `+` / `~` / `-` as `terraform plan` shows them, see
//! `blocks`; or, with [`Layout::Table`], one line per action: employee id, Okta login,
//! action, reason, changed attributes old → new), then the findings; and a stable JSON
//! document (`format = 1`; maps in key order). Each is written an action at a time to any
//! `io::Write` so that a huge plan streams out. Pure: it opens nothing and asks nothing of a
//! terminal; whether to colour is the caller's [`TextOptions::colour`].

mod blocks;

use super::{Action, Change, Plan, PlanCounts, PlannedAction};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt::Write as _;

/// The JSON document of a plan.
#[derive(Debug, Serialize)]
pub struct PlanDocument<'a> {
    /// Schema version of this document.
    pub format: u32,
    /// The instant planned for.
    pub at: DateTime<Utc>,
    /// When the daemon should wake next.
    pub next_wakeup: Option<DateTime<Utc>>,
    /// Okta users carrying the anchor attribute.
    pub managed_users: usize,
    /// Actions and findings by kind.
    pub counts: PlanCounts,
    /// The plan's actions, in execution order.
    pub actions: &'a [PlannedAction],
    /// The plan's findings.
    pub findings: &'a [super::Finding],
}

fn document(plan: &Plan) -> PlanDocument<'_> {
    PlanDocument {
        format: 1,
        at: plan.at,
        next_wakeup: plan.next_wakeup,
        managed_users: plan.managed_users,
        counts: plan.counts(),
        actions: &plan.actions,
        findings: &plan.findings,
    }
}

/// The plan as pretty, stable JSON (see [`write_json`]).
pub fn to_json(plan: &Plan) -> String {
    serde_json::to_string_pretty(&document(plan))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Writes the plan as pretty, stable JSON and a newline, streamed (no document in memory).
pub fn write_json(plan: &Plan, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(plan)).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn value(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => v.to_string(),
    }
}

fn change(attr: &str, c: &Change) -> String {
    format!(
        "{attr}: {} → {}",
        value(c.old.as_ref()),
        value(c.new.as_ref())
    )
}

/// The "changed attributes" cell of an action.
pub fn describe_changes(action: &Action) -> String {
    match action {
        Action::Create { profile, activate } => {
            let mut parts = vec![format!("activate={activate}")];
            parts.extend(profile.iter().map(|(k, v)| {
                change(
                    k,
                    &Change {
                        old: None,
                        new: Some(v.clone()),
                    },
                )
            }));
            parts.join("; ")
        }
        Action::Update { changes } => changes
            .iter()
            .map(|(k, c)| change(k, c))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// A left-aligned text table: the header, then one line per row, columns padded to fit.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_table(&mut out, header, || rows.iter().cloned());
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a table whose rows `rows()` yields (called twice: once to size the columns, once
/// to write), so that no row is kept in memory: a plan of a million actions streams out.
fn write_table<I: Iterator<Item = Vec<String>>>(
    out: &mut impl std::io::Write,
    header: &[&str],
    rows: impl Fn() -> I,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows() {
        for (w, cell) in widths.iter_mut().zip(&row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let last = header.len().saturating_sub(1);
    let mut line = String::new();
    for row in
        std::iter::once(header.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).chain(rows())
    {
        line.clear();
        for (k, cell) in row.iter().enumerate() {
            if k == last {
                line.push_str(cell);
            } else {
                let pad = widths[k].saturating_sub(cell.chars().count());
                let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// How the text form lays out the actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One block per action, one changed attribute per line.
    #[default]
    Blocks,
    /// One line per action (`--format table`).
    Table,
}

/// How to write the text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// Blocks or a table.
    pub layout: Layout,
    /// ANSI colours on the change markers (the caller decides: a terminal, no `NO_COLOR`).
    pub colour: bool,
}

/// The plan as text, in blocks and without colour (see [`write_text`]).
pub fn to_text(plan: &Plan) -> String {
    to_text_with(plan, TextOptions::default())
}

/// The plan as text, laid out and coloured per `options` (see [`write_text`]).
pub fn to_text_with(plan: &Plan, options: TextOptions) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_text(plan, options, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the plan as text: the counts, then the actions (blocks or a table, an action at a
/// time), then the findings.
pub fn write_text(
    plan: &Plan,
    options: TextOptions,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    writeln!(out, "Plan at {}: {}", plan.at.to_rfc3339(), plan.counts())?;
    writeln!(
        out,
        "Managed users: {}; next wake-up: {}",
        plan.managed_users,
        plan.next_wakeup
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "none".to_owned())
    )?;
    writeln!(out)?;
    if plan.actions.is_empty() {
        writeln!(out, "No changes.")?;
    } else if options.layout == Layout::Blocks {
        for (i, a) in plan.actions.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            blocks::write_block(out, a, options.colour)?;
        }
    } else {
        write_table(
            out,
            &["EMPLOYEE", "LOGIN", "ACTION", "REASON", "CHANGES"],
            || plan.actions.iter().map(action_row),
        )?;
    }
    if !plan.findings.is_empty() {
        writeln!(out, "\nFindings:")?;
        write_table(
            out,
            &["KIND", "EMPLOYEE", "OKTA ID", "REASON", "DETAIL"],
            || plan.findings.iter().map(finding_row),
        )?;
    }
    Ok(())
}

fn action_row(a: &PlannedAction) -> Vec<String> {
    vec![
        a.employee_id
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "-".into()),
        a.login.clone().unwrap_or_else(|| "-".into()),
        a.action.kind().to_string(),
        a.reason.code(),
        describe(a),
    ]
}

/// The "changed attributes" cell of an action, its references included
/// (`managerId: (none) → the Okta id of 1009's new user`).
pub fn describe(a: &PlannedAction) -> String {
    let mut cell = describe_changes(&a.action);
    for (attr, r) in &a.fills {
        if !cell.is_empty() {
            cell.push_str("; ");
        }
        let _ = write!(
            cell,
            "{attr}: {} → {}the Okta id of {}'s new user{}",
            value(r.old.as_ref()),
            if r.prefix.is_empty() {
                String::new()
            } else {
                format!("{:?} + ", r.prefix)
            },
            r.created_for,
            if r.suffix.is_empty() {
                String::new()
            } else {
                format!(" + {:?}", r.suffix)
            },
        );
    }
    cell
}

fn finding_row(f: &super::Finding) -> Vec<String> {
    vec![
        serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        f.employee_id
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "-".into()),
        f.okta_id
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "-".into()),
        f.reason.code(),
        f.detail.clone(),
    ]
}

#[cfg(test)]
mod tests;
