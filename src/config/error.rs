//! Configuration errors: each one names the file, the line and column, the key path, what was
//! wrong and what is accepted (`hrsync.toml:12:8: activation.mode: unknown value "sometimes";
//! expected one of always, never, employee_status, start_date`).
//!
//! This module only formats and collects errors; it never reads files and never includes a
//! secret's value in a message.

use std::fmt;
use std::ops::Range;

/// One mistake in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file as the user named it.
    pub file: String,
    /// 1-based line and column (in characters), when the mistake has a place in the file.
    pub position: Option<(usize, usize)>,
    /// Dotted key path (`activation.mode`); empty for the file as a whole.
    pub key: String,
    /// What is wrong and what is accepted.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Every mistake found in one configuration file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.0))]
pub struct ConfigErrors(pub Vec<ConfigError>);

fn render(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl ConfigErrors {
    /// The errors, in file order.
    pub fn errors(&self) -> &[ConfigError] {
        &self.0
    }

    /// `the configuration has 2 errors:` followed by every error, as the CLI and the daemon's
    /// reload report them.
    pub fn report(&self) -> String {
        let n = self.0.len();
        let noun = if n == 1 { "error" } else { "errors" };
        format!("the configuration has {n} {noun}:\n{self}")
    }
}

/// The text of a configuration file, used to turn byte offsets into line and column.
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    /// The file name shown in errors.
    pub file: &'a str,
    /// The file's content.
    pub text: &'a str,
}

impl<'a> SourceText<'a> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }

    /// An error at the start of a span.
    pub fn error_at(
        &self,
        span: Option<Range<usize>>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            file: self.file.to_owned(),
            position: span.map(|s| self.position(s.start)),
            key: key.into(),
            message: message.into(),
        }
    }
}

/// Rewrites serde's wording into hrsync's: `unknown variant `x`, expected one of `a`, `b``
/// becomes `unknown value "x"; expected one of a, b`, and likewise for unknown keys.
pub fn humanize_serde_message(message: &str) -> String {
    let message = message.trim_end();
    for (prefix, noun) in [("unknown variant ", "value"), ("unknown field ", "key")] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((name, expected)) = rest.split_once(", expected ")
        {
            let name = name.trim_matches('`');
            let expected = expected.replace('`', "");
            let expected = if expected.starts_with("one of") || expected == "nothing" {
                expected
            } else {
                format!("one of {}", expected.replace(" or ", ", "))
            };
            let expected = if expected == "nothing" {
                "no keys here".to_owned()
            } else {
                expected
            };
            return format!("unknown {noun} \"{name}\"; expected {expected}");
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing key \"{}\"; it is required", rest.trim_matches('`'));
    }
    let mut message = message.replace('`', "\"");
    for (rust, plain) in [
        ("expected i64", "expected an integer"),
        ("expected u64", "expected an integer"),
        ("expected u32", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected a string (in quotes)"),
    ] {
        if message.ends_with(rust) {
            message.truncate(message.len() - rust.len());
            message.push_str(plain);
        }
    }
    message
}

#[cfg(test)]
mod tests;
