//! Rendering a [`Plan`] for people and machines: a text table (one line per action: employee
//! id, Okta login, action, changed attributes old → new, reason; then the findings) and a
//! stable JSON document (`format = 1`; maps in key order). Pure; prints nothing itself.

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

/// The plan as pretty, stable JSON.
pub fn to_json(plan: &Plan) -> String {
    let doc = PlanDocument {
        format: 1,
        at: plan.at,
        next_wakeup: plan.next_wakeup,
        managed_users: plan.managed_users,
        counts: plan.counts(),
        actions: &plan.actions,
        findings: &plan.findings,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
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
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let last = header.len().saturating_sub(1);
    for row in std::iter::once(header.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        .chain(rows.iter().cloned())
    {
        let mut line = String::new();
        for (k, cell) in row.iter().enumerate() {
            if k == last {
                line.push_str(cell);
            } else {
                let pad = widths[k] - cell.chars().count();
                let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The plan as a text table.
pub fn to_text(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Plan at {}: {}", plan.at.to_rfc3339(), plan.counts());
    let _ = writeln!(
        out,
        "Managed users: {}; next wake-up: {}",
        plan.managed_users,
        plan.next_wakeup
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "none".to_owned())
    );
    out.push('\n');
    if plan.actions.is_empty() {
        out.push_str("No changes.\n");
    } else {
        let rows: Vec<Vec<String>> = plan
            .actions
            .iter()
            .map(|a| {
                vec![
                    a.employee_id
                        .as_ref()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| "-".into()),
                    a.login.clone().unwrap_or_else(|| "-".into()),
                    a.action.kind().to_owned(),
                    a.reason.code(),
                    describe_changes(&a.action),
                ]
            })
            .collect();
        out.push_str(&table(
            &["EMPLOYEE", "LOGIN", "ACTION", "REASON", "CHANGES"],
            &rows,
        ));
    }
    if !plan.findings.is_empty() {
        out.push_str("\nFindings:\n");
        let rows: Vec<Vec<String>> = plan
            .findings
            .iter()
            .map(|f| {
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
            })
            .collect();
        out.push_str(&table(
            &["KIND", "EMPLOYEE", "OKTA ID", "REASON", "DETAIL"],
            &rows,
        ));
    }
    out
}
