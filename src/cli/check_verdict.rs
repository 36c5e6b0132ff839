//! The end of `hrsync check`: every problem found, each with what to do about it, then the
//! verdict line, last, agreeing with the exit code (`hrsync check: OK` exits 0,
//! `hrsync check: FAILED …` exits 1).
//!
//! It only collects and prints; it must not decide what is a problem (the sections do) nor
//! contact anything.

use std::io::Write;
use std::process::ExitCode;

/// Something that stops a sync from working, and what the operator should do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, e.g. `the Okta credentials cannot write users: …`.
    pub what: String,
    /// What to do, e.g. `give the token's user the Organization Administrator role`.
    pub fix: String,
}

impl Problem {
    /// A problem and its fix.
    pub fn new(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// What the sections of the check found: problems (the check fails) and how many warnings
/// they printed (the check passes).
#[derive(Debug, Default)]
pub struct Findings {
    problems: Vec<Problem>,
    warnings: usize,
}

impl Findings {
    /// Records a problem.
    pub fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Counts `n` warnings a section printed.
    pub fn warnings(&mut self, n: usize) {
        self.warnings += n;
    }

    /// Whether a problem was found.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The problems found, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Prints the problems, one line each with its fix, then the verdict line; returns the
    /// exit code the verdict states.
    pub fn finish(&self, out: &mut dyn Write) -> std::io::Result<ExitCode> {
        writeln!(out)?;
        let warnings = match self.warnings {
            0 => String::new(),
            1 => ", 1 warning above".to_owned(),
            n => format!(", {n} warnings above"),
        };
        if self.problems.is_empty() {
            writeln!(out, "hrsync check: OK{warnings}")?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(out, "Problems:")?;
        for p in &self.problems {
            writeln!(out, "  ✗ {} → fix: {}", p.what, p.fix)?;
        }
        let n = self.problems.len();
        let plural = if n == 1 { "" } else { "s" };
        writeln!(out, "hrsync check: FAILED, {n} problem{plural}{warnings}")?;
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests;
