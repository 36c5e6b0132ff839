//! Identifier newtypes: HR employee ids, Okta user ids and email addresses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest email address Okta accepts for `email` and `login` (characters).
pub const MAX_EMAIL_LEN: usize = 100;

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id was empty or only whitespace.
    #[error("is empty")]
    Empty,
    /// The id contains a control character (NUL, newline, RTL override, …).
    #[error("contains a control or formatting character (U+{0:04X})")]
    ControlCharacter(u32),
    /// The id is longer than anyone would use as an id.
    #[error("is {0} characters long; at most {max} are accepted", max = EmployeeId::MAX_LEN)]
    TooLong(usize),
    /// The id reads as a number with a fractional part (`1000.5`, or `1000.0` from a
    /// spreadsheet): the export wrote ids as numbers, and a number is not a stable id.
    #[error(
        "{0:?} is a number with a decimal part; the export wrote ids as numbers: export the id column as text (a JSON number id must be a whole number)"
    )]
    DecimalNumber(String),
}

/// The HR system's stable id for an employee: the anchor between HR and Okta.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmployeeId(String);

impl EmployeeId {
    /// Longest accepted id; HR ids are short (bob uses 19 digits).
    pub const MAX_LEN: usize = 100;

    /// Parses an id into its canonical form: surrounding whitespace trimmed, Unicode in NFC
    /// (so `é` typed as e + combining accent is the same id as `é`). Empty, over-long ids, ids
    /// with control characters and ids that read as decimal numbers are refused. Leading zeros
    /// stay significant: `01000` and `1000` are different ids (they can be different people).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        if let Some(c) = trimmed.chars().find(|c| is_forbidden_char(*c)) {
            return Err(IdError::ControlCharacter(c as u32));
        }
        let canonical = canonical_text(trimmed);
        let len = canonical.chars().count();
        if len > Self::MAX_LEN {
            return Err(IdError::TooLong(len));
        }
        if is_decimal_number(&canonical) {
            return Err(IdError::DecimalNumber(canonical));
        }
        Ok(Self(canonical))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text in Unicode NFC (ASCII, the usual case, is returned as it is without a pass).
pub fn canonical_text(text: &str) -> String {
    if text.is_ascii() {
        text.to_owned()
    } else {
        use unicode_normalization::UnicodeNormalization;
        text.nfc().collect()
    }
}

/// `1000.0`, `-3.25`: digits, one dot, digits.
fn is_decimal_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    match digits.split_once('.') {
        Some((whole, frac)) => {
            !whole.is_empty()
                && !frac.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// A JSON number as HR text: a whole number in its shortest integer form (`1000.0` and `1e3`
/// are `1000`), any other number as JSON writes it (`1000.5`). Sources use this for every
/// number, so a JSON export that turns ids into floats does not change them.
pub fn number_text(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    match n.as_f64() {
        // Whole floats up to 2^53 are exact integers.
        Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}

/// Control characters and bidirectional-formatting characters never belong in ids or emails.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl TryFrom<String> for EmployeeId {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmployeeId> for String {
    fn from(value: EmployeeId) -> Self {
        value.0
    }
}

impl fmt::Display for EmployeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Okta user id (`00u` followed by 17 base62 characters in real orgs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OktaUserId(pub String);

impl OktaUserId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OktaUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not an acceptable email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was given.
    #[error("is empty")]
    Empty,
    /// No `@`, nothing before or after it, or more than one `@`.
    #[error("{0:?} is not an email address (expected local@domain)")]
    Malformed(String),
    /// Whitespace, control or formatting characters inside the address.
    #[error("{0:?} contains whitespace or a control character")]
    BadCharacter(String),
    /// Longer than Okta's 100 characters.
    #[error("is {0} characters long; Okta accepts at most 100")]
    TooLong(usize),
}

/// A lower-cased, trimmed, syntactically valid email address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an address: trims, lower-cases and checks the `local@domain.tld` shape.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed
            .chars()
            .any(|c| c.is_whitespace() || is_forbidden_char(c))
        {
            return Err(EmailError::BadCharacter(trimmed.to_owned()));
        }
        let len = trimmed.chars().count();
        if len > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong(len));
        }
        let lower = trimmed.to_lowercase();
        let mut parts = lower.split('@');
        let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(d), None) => (l, d),
            _ => return Err(EmailError::Malformed(trimmed.to_owned())),
        };
        let domain_ok = !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.contains('.')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok {
            return Err(EmailError::Malformed(trimmed.to_owned()));
        }
        Ok(Self(lower))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests;
