//! A placeholder's filters applied to a value (`lower`, `upper`, `trim`, `ascii`,
//! `date:<format>`, `default:<text>`); a value already in the wanted shape passes through
//! without a copy. Pure: no I/O, never panics.

use super::{FieldRef, Filter, RenderError, Resolved, field_name};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::borrow::Cow;
use std::fmt::Write as _;

/// A placeholder's value through its filters, in order: an empty value counts as missing
/// (so `default` applies), a pending one (a manager's Okta identity not known yet) stays
/// pending.
pub(super) fn apply_filters<'a>(
    field: &FieldRef,
    value: Resolved<'a>,
    filters: &[Filter],
) -> Result<Resolved<'a>, RenderError> {
    let mut value = match value {
        Resolved::Value(v) if v.is_empty() => Resolved::Missing,
        other => other,
    };
    for filter in filters {
        value = match (filter, value) {
            (_, Resolved::Pending) => return Ok(Resolved::Pending),
            (Filter::Default(d), Resolved::Missing) => Resolved::Value(Cow::Owned(d.clone())),
            (_, Resolved::Missing) => Resolved::Missing,
            (f, Resolved::Value(v)) => {
                let out = apply_one(field, f, v)?;
                if out.is_empty() {
                    Resolved::Missing
                } else {
                    Resolved::Value(out)
                }
            }
        };
    }
    Ok(value)
}

fn apply_one<'a>(
    field: &FieldRef,
    filter: &Filter,
    v: Cow<'a, str>,
) -> Result<Cow<'a, str>, RenderError> {
    // Values already in the wanted shape (the common case: lower-case emails, ASCII names)
    // pass through without a copy.
    Ok(match filter {
        Filter::Lower if v.is_ascii() => {
            if v.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(v.to_ascii_lowercase())
            } else {
                v
            }
        }
        Filter::Lower => Cow::Owned(v.to_lowercase()),
        Filter::Upper if v.is_ascii() => {
            if v.bytes().any(|b| b.is_ascii_lowercase()) {
                Cow::Owned(v.to_ascii_uppercase())
            } else {
                v
            }
        }
        Filter::Upper => Cow::Owned(v.to_uppercase()),
        Filter::Trim => match v {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
            Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
        },
        // `deunicode`'s own placeholder for what it cannot transliterate; it borrows text that
        // needs no change.
        Filter::Ascii => {
            let changed = match deunicode::deunicode_with_tofu_cow(&v, "[?]") {
                Cow::Borrowed(_) => None,
                Cow::Owned(text) => Some(text),
            };
            changed.map_or(v, Cow::Owned)
        }
        Filter::Default(_) => v,
        Filter::Date(format) => Cow::Owned(format_date(field, &v, format)?),
    })
}

fn format_date(field: &FieldRef, value: &str, format: &str) -> Result<String, RenderError> {
    let value = value.trim();
    let bad = |what: &str| RenderError {
        message: format!("field {}: {what} {value:?}", field_name(field)),
    };
    let mut out = String::new();
    let written = if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        write!(out, "{}", d.format(format))
    } else if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        write!(out, "{}", t.format(format))
    } else if let Ok(t) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f") {
        write!(out, "{}", t.format(format))
    } else {
        return Err(bad(
            "is not a date (expected YYYY-MM-DD or an ISO date-time):",
        ));
    };
    written.map_err(|_| bad(&format!("cannot be formatted with {format:?}:")))?;
    Ok(out)
}
