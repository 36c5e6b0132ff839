//! `sortBy`/`sortOrder` for `search` queries: results ordered by one attribute (ties by id,
//! users without the attribute last), paged with an opaque keyset cursor so that writes
//! between pages cause neither duplicates nor gaps. Pure.

use super::errors::ApiError;
use super::user::UserRecord;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::cmp::Ordering;

/// A requested order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    attr: String,
    desc: bool,
}

/// A user's sort key.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Num(f64),
    Str(String),
    Missing,
}

impl Key {
    fn of(v: Option<Value>) -> Self {
        match v {
            None | Some(Value::Null) => Self::Missing,
            Some(Value::Number(n)) => n.as_f64().map_or(Self::Missing, Self::Num),
            Some(Value::String(s)) => Self::Str(s.to_lowercase()),
            Some(other) => Self::Str(other.to_string().to_lowercase()),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Self::Num(n) => json!(n),
            Self::Str(s) => json!(s),
            Self::Missing => Value::Null,
        }
    }
}

fn cmp_keys(a: &Key, b: &Key, desc: bool) -> Ordering {
    let by_value = match (a, b) {
        (Key::Missing, Key::Missing) => return Ordering::Equal,
        (Key::Missing, _) => return Ordering::Greater,
        (_, Key::Missing) => return Ordering::Less,
        (Key::Num(x), Key::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Key::Num(_), Key::Str(_)) => Ordering::Less,
        (Key::Str(_), Key::Num(_)) => Ordering::Greater,
        (Key::Str(x), Key::Str(y)) => x.cmp(y),
    };
    if desc { by_value.reverse() } else { by_value }
}

impl Sort {
    /// Reads `sortBy`/`sortOrder`; `None` when no `sortBy` was given.
    pub fn from_params(
        sort_by: Option<&str>,
        sort_order: Option<&str>,
    ) -> Result<Option<Self>, ApiError> {
        let Some(attr) = sort_by.filter(|s| !s.trim().is_empty()) else {
            return Ok(None);
        };
        let desc = match sort_order.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(ApiError::invalid_search()),
        };
        if !attr
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            return Err(ApiError::invalid_search());
        }
        Ok(Some(Self {
            attr: attr.trim().to_owned(),
            desc,
        }))
    }

    fn cmp(&self, a: &(Key, &str), b: &(Key, &str)) -> Ordering {
        cmp_keys(&a.0, &b.0, self.desc).then_with(|| a.1.cmp(b.1))
    }

    /// One page of `matches` after the cursor, and the cursor for the next page if any.
    pub fn page<'a>(
        &self,
        matches: Vec<&'a UserRecord>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<&'a UserRecord>, Option<String>), ApiError> {
        let mut keyed: Vec<(Key, &'a UserRecord)> = matches
            .into_iter()
            .map(|u| (Key::of(u.attribute(&self.attr)), u))
            .collect();
        keyed.sort_by(|a, b| {
            self.cmp(
                &(a.0.clone(), a.1.id.as_str()),
                &(b.0.clone(), b.1.id.as_str()),
            )
        });
        let start = match after {
            None => 0,
            Some(c) => {
                let (key, id) = decode(c).ok_or_else(ApiError::bad_paging)?;
                keyed.partition_point(|(k, u)| {
                    self.cmp(&(k.clone(), u.id.as_str()), &(key.clone(), id.as_str()))
                        != Ordering::Greater
                })
            }
        };
        let rest = keyed.get(start..).unwrap_or_default();
        let page: Vec<&'a UserRecord> = rest.iter().take(limit).map(|(_, u)| *u).collect();
        let next = if rest.len() > limit {
            rest.get(limit.saturating_sub(1))
                .map(|(k, u)| encode(k, &u.id))
        } else {
            None
        };
        Ok((page, next))
    }
}

fn encode(key: &Key, id: &str) -> String {
    format!(
        "s{}",
        URL_SAFE_NO_PAD.encode(json!([key.to_json(), id]).to_string())
    )
}

fn decode(cursor: &str) -> Option<(Key, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.strip_prefix('s')?).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let id = v.get(1)?.as_str()?.to_owned();
    Some((Key::of(v.get(0).cloned()), id))
}

#[cfg(test)]
mod tests;
