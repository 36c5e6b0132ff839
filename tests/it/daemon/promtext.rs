//! A strict reader of the Prometheus text exposition format 0.0.4, enough to check that
//! `/metrics` is well formed: every sample belongs to a declared family, names and labels are
//! valid, values are numbers.

use std::collections::{BTreeMap, BTreeSet};

/// Samples by their full text key (`name{labels}`), after validating the whole page.
pub fn parse(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut helped = BTreeSet::new();
    let mut samples = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let err = |m: &str| Err(format!("line {}: {m}: {line:?}", no + 1));
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or("");
            if !valid_name(name) || !helped.insert(name.to_owned()) {
                return err("bad or repeated HELP");
            }
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let (name, kind) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let known = ["counter", "gauge", "histogram", "summary", "untyped"];
            if !valid_name(name) || !known.contains(&kind) || parts.next().is_some() {
                return err("bad TYPE");
            }
            if types.insert(name.to_owned(), kind.to_owned()).is_some() {
                return err("repeated TYPE");
            }
        } else if line.starts_with('#') {
            continue;
        } else {
            let (key, value) = match line.rsplit_once(' ') {
                Some(kv) => kv,
                None => return err("no value"),
            };
            let value: f64 = match value {
                "+Inf" => f64::INFINITY,
                "-Inf" => f64::NEG_INFINITY,
                v => match v.parse() {
                    Ok(v) => v,
                    Err(_) => return err("bad value"),
                },
            };
            let name = key.split('{').next().unwrap_or("");
            if !valid_name(name) {
                return err("bad metric name");
            }
            if let Some(labels) = key.strip_prefix(name).filter(|l| !l.is_empty())
                && !valid_labels(labels)
            {
                return err("bad labels");
            }
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| {
                    name.strip_suffix(s)
                        .filter(|f| types.get(*f).is_some_and(|t| t == "histogram"))
                })
                .unwrap_or(name);
            if !types.contains_key(family) {
                return err("sample without a TYPE");
            }
            if samples.insert(key.to_owned(), value).is_some() {
                return err("repeated sample");
            }
        }
    }
    Ok(samples)
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `{a="x",b="y"}` with escaped quotes, backslashes and newlines only.
fn valid_labels(labels: &str) -> bool {
    let Some(inner) = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}')) else {
        return false;
    };
    let mut rest = inner;
    while !rest.is_empty() {
        let Some((name, after)) = rest.split_once("=\"") else {
            return false;
        };
        if !valid_name(name) {
            return false;
        }
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            match (escaped, c) {
                (true, '\\' | '"' | 'n') => escaped = false,
                (true, _) => return false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else { return false };
        rest = &after[end + 1..];
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        } else if !rest.is_empty() {
            return false;
        }
    }
    true
}

#[test]
fn the_reader_refuses_a_sample_without_a_type() {
    assert!(parse("# TYPE a counter\na 1\nb 2\n").is_err());
    assert!(parse("# TYPE a counter\na{x=\"1\"} 1\n").is_ok());
    assert!(parse("# TYPE a counter\na{x=1} 1\n").is_err());
}
