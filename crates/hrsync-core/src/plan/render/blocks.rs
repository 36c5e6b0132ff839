//! The plan's readable text form, like `terraform plan`: one block per action, a header line
//! (`+ create 1009 hedy.lamarr@example.com (new_hire; staged, not activated)`) and then one
//! changed attribute per line, marked `+` (set where there was nothing: `+ attr = "value"`),
//! `~` (changed: `~ attr: "old" → "new"`) or `-` (cleared: `- attr (was "old")`). Attribute
//! values are JSON literals, so no HR or Okta text can reach a terminal as a control sequence;
//! ids and logins in headers have their control characters escaped the same way.
//!
//! Pure: it writes to the `io::Write` it is given and decides nothing about terminals; the
//! caller says whether to colour (ANSI) the markers.

use super::super::{Action, ActionKind, Change, IdRef, PlannedAction};
use std::io::Write;

const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// A change marker: what happens to an action or an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// Something new: a user, or a value where there was none.
    Add,
    /// Something changed: a value, or a user's state gaining access back.
    Change,
    /// Something taken away: a value cleared, or a user's access.
    Remove,
}

impl Marker {
    fn symbol(self) -> char {
        match self {
            Self::Add => '+',
            Self::Change => '~',
            Self::Remove => '-',
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Self::Add => GREEN,
            Self::Change => YELLOW,
            Self::Remove => RED,
        }
    }
}

fn action_marker(kind: ActionKind) -> Marker {
    match kind {
        ActionKind::Create => Marker::Add,
        ActionKind::Update | ActionKind::Activate | ActionKind::Unsuspend => Marker::Change,
        ActionKind::Deactivate | ActionKind::Suspend => Marker::Remove,
    }
}

/// One attribute line: its marker, `name` or `name:`, and the rest.
struct Line {
    marker: Marker,
    label: String,
    rest: String,
}

/// Writes one action's block (no blank line around it).
pub(super) fn write_block(
    out: &mut impl Write,
    a: &PlannedAction,
    colour: bool,
) -> std::io::Result<()> {
    let kind = a.action.kind();
    let marker = action_marker(kind);
    let paint = |text: &str, code: &str| {
        if colour {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let head = format!("{} {kind}", marker.symbol());
    let mut subject = match (&a.employee_id, &a.okta_id) {
        (Some(e), _) => printable(e.as_str()),
        (None, Some(o)) => format!("Okta user {}", printable(&o.0)),
        (None, None) => "-".to_owned(),
    };
    if let Some(login) = &a.login {
        subject.push(' ');
        subject.push_str(&printable(login));
    }
    let note = match &a.action {
        Action::Create { activate: true, .. } => "; activated at once",
        Action::Create {
            activate: false, ..
        } => "; staged, not activated",
        _ => "",
    };
    writeln!(
        out,
        "{} {} ({}{note})",
        paint(&head, marker.colour()),
        paint(&subject, BOLD),
        a.reason.code()
    )?;
    let lines = attribute_lines(a);
    let width = lines
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0);
    for l in &lines {
        let pad = " ".repeat(width.saturating_sub(l.label.chars().count()));
        let symbol = l.marker.symbol().to_string();
        let text = format!(
            "    {} {}{pad} {}",
            paint(&symbol, l.marker.colour()),
            l.label,
            l.rest
        );
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// The changed attributes of an action, in name order, references included.
fn attribute_lines(a: &PlannedAction) -> Vec<Line> {
    let mut lines: Vec<(String, Line)> = Vec::new();
    match &a.action {
        Action::Create { profile, .. } => {
            for (name, v) in profile {
                lines.push((name.clone(), set(name, &literal(Some(v)))));
            }
        }
        Action::Update { changes } => {
            for (name, c) in changes {
                lines.push((name.clone(), changed(name, c)));
            }
        }
        _ => {}
    }
    for (name, r) in &a.fills {
        let line = match &r.old {
            None => set(name, &reference(r)),
            Some(old) => Line {
                marker: Marker::Change,
                label: format!("{name}:"),
                rest: format!("{} → {}", literal(Some(old)), reference(r)),
            },
        };
        lines.push((name.clone(), line));
    }
    lines.sort_by(|x, y| x.0.cmp(&y.0));
    lines.into_iter().map(|(_, l)| l).collect()
}

fn set(name: &str, value: &str) -> Line {
    Line {
        marker: Marker::Add,
        label: name.to_owned(),
        rest: format!("= {value}"),
    }
}

fn changed(name: &str, c: &Change) -> Line {
    match (&c.old, &c.new) {
        (None, new) => set(name, &literal(new.as_ref())),
        (Some(old), Some(new)) => Line {
            marker: Marker::Change,
            label: format!("{name}:"),
            rest: format!("{} → {}", literal(Some(old)), literal(Some(new))),
        },
        (Some(old), None) => Line {
            marker: Marker::Remove,
            label: name.to_owned(),
            rest: format!("(was {})", literal(Some(old))),
        },
    }
}

/// `the Okta id of 1009's new user`, with its fixed text: `"CN=" + the Okta id of 1009's new user`.
fn reference(r: &IdRef) -> String {
    let mut text = String::new();
    if !r.prefix.is_empty() {
        text.push_str(&literal(Some(&serde_json::Value::from(r.prefix.as_str()))));
        text.push_str(" + ");
    }
    text.push_str("the Okta id of ");
    text.push_str(&printable(r.created_for.as_str()));
    text.push_str("'s new user");
    if !r.suffix.is_empty() {
        text.push_str(" + ");
        text.push_str(&literal(Some(&serde_json::Value::from(r.suffix.as_str()))));
    }
    text
}

/// A value as a JSON literal (`"Engineering"`, `3`, `null`), `(none)` when absent.
fn literal(v: Option<&serde_json::Value>) -> String {
    v.map_or_else(|| "(none)".to_owned(), ToString::to_string)
}

/// `s` with every control character escaped (`\u{1b}`), so that it cannot drive a terminal.
pub(super) fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
