//! The `fields` projection of `GET /api/v1/users`: `id,status,profile:(firstName,city)` keeps
//! only those properties (`id` always). Pure.

use super::errors::ApiError;
use serde_json::{Map, Value};

/// The properties to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    top: Vec<String>,
    profile: Option<Vec<String>>,
}

fn bad(why: &str) -> ApiError {
    ApiError::validation("fields", vec![format!("fields: {why}")])
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Projection {
    /// Parses a `fields` value.
    pub fn parse(spec: &str) -> Result<Self, ApiError> {
        let mut top = vec!["id".to_owned()];
        let mut profile: Option<Vec<String>> = None;
        let mut rest = spec.trim();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("profile:(") {
                let end = after
                    .find(')')
                    .ok_or_else(|| bad("unclosed profile:( directive"))?;
                let (inner, tail) = after.split_at(end);
                let names: Vec<String> = inner.split(',').map(|n| n.trim().to_owned()).collect();
                if names.iter().any(|n| !is_name(n)) {
                    return Err(bad("invalid profile attribute name"));
                }
                profile.get_or_insert_with(Vec::new).extend(names);
                rest = tail.get(1..).unwrap_or("").trim_start();
            } else {
                let end = rest.find(',').unwrap_or(rest.len());
                let (name, tail) = rest.split_at(end);
                let name = name.trim();
                if !is_name(name) {
                    return Err(bad("invalid field name"));
                }
                if name == "profile" {
                    profile = None;
                    top.push(name.to_owned());
                } else if !top.iter().any(|t| t == name) {
                    top.push(name.to_owned());
                }
                rest = tail;
            }
            rest = rest.trim_start();
            if let Some(t) = rest.strip_prefix(',') {
                rest = t.trim_start();
                if rest.is_empty() {
                    return Err(bad("trailing comma"));
                }
            } else if !rest.is_empty() {
                return Err(bad("expected a comma"));
            }
        }
        Ok(Self { top, profile })
    }

    /// Keeps only the requested properties of a rendered user.
    pub fn apply(&self, user: Value) -> Value {
        let Value::Object(mut obj) = user else {
            return user;
        };
        let mut out = Map::new();
        for name in &self.top {
            if let Some(v) = obj.remove(name) {
                out.insert(name.clone(), v);
            }
        }
        if let Some(names) = &self.profile
            && let Some(Value::Object(mut p)) = obj.remove("profile")
        {
            let kept: Map<String, Value> = names
                .iter()
                .filter_map(|n| p.remove(n).filter(|v| !v.is_null()).map(|v| (n.clone(), v)))
                .collect();
            out.insert("profile".into(), Value::Object(kept));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests;
