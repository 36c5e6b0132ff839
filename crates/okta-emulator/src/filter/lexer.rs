//! Tokenizer for `search`/`filter` expressions: parentheses, double-quoted strings with
//! backslash escapes, and bare words. Refuses unterminated strings and overly long input.

use crate::errors::ApiError;

/// Most tokens an expression may have (Okta refuses overly long queries).
const MAX_TOKENS: usize = 400;

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// A quoted string, unescaped.
    Str(String),
    /// A bare word (attribute, operator, keyword, number).
    Word(String),
}

/// Splits an expression into tokens.
pub fn tokenize(s: &str) -> Result<Vec<Tok>, ApiError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '"' => {
                chars.next();
                let mut v = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => v.push(chars.next().ok_or_else(ApiError::invalid_search)?),
                        '"' => {
                            closed = true;
                            break;
                        }
                        c => v.push(c),
                    }
                }
                if !closed {
                    return Err(ApiError::invalid_search());
                }
                out.push(Tok::Str(v));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
        if out.len() > MAX_TOKENS {
            return Err(ApiError::invalid_search());
        }
    }
    Ok(out)
}
