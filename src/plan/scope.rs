//! Scope expressions over HR fields (`department != 'Contractors' and country in ['UK','DE']`).
//!
//! SKELETON: the planner issue replaces this with the real parser and evaluator.

/// A parsed scope expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeExpr {
    source: String,
}

/// Why a scope expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct ScopeError {
    /// 1-based character position.
    pub position: usize,
    /// What is wrong and what is accepted.
    pub message: String,
}

impl ScopeExpr {
    /// Parses an expression.
    pub fn parse(source: &str) -> Result<Self, ScopeError> {
        Ok(Self {
            source: source.to_owned(),
        })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }
}
