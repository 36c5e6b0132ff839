//! `Link` header parsing for Okta's cursor pagination: finds the `rel="next"` URL among any
//! number of `Link` header lines, each of which may hold several comma-joined links. The URL
//! is returned verbatim (never rebuilt from parts). Parsing only; no I/O.

/// The `rel="next"` target among these `Link` header values, if any.
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    values
        .into_iter()
        .flat_map(parse_links)
        .find(|(_, rels)| rels.iter().any(|r| r.eq_ignore_ascii_case("next")))
        .map(|(url, _)| url)
}

/// Every link of one header value: `(target, rel values)`.
fn parse_links(value: &str) -> Vec<(String, Vec<String>)> {
    let mut links = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after_open = &rest[open + 1..];
        let Some(close) = after_open.find('>') else {
            break;
        };
        let target = after_open[..close].trim().to_owned();
        let params_and_more = &after_open[close + 1..];
        // Parameters run until the next link starts (a comma followed by `<`).
        let end = next_link_start(params_and_more).unwrap_or(params_and_more.len());
        let rels = rel_values(&params_and_more[..end]);
        links.push((target, rels));
        rest = &params_and_more[end..];
    }
    links
}

/// Where the next `, <` link begins in a parameter list, ignoring commas in quoted strings.
fn next_link_start(s: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// The space-separated values of the `rel` parameter(s) in `; rel="next"; title="x"`.
fn rel_values(params: &str) -> Vec<String> {
    params
        .split(';')
        .filter_map(|p| {
            let (name, value) = p.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("rel") {
                return None;
            }
            let value = value.trim().trim_end_matches(',').trim();
            Some(value.trim_matches('"').to_owned())
        })
        .flat_map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELF_LINK: &str = r#"<https://x.okta.com/api/v1/users?limit=200>; rel="self""#;
    const NEXT_LINK: &str =
        r#"<https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200>; rel="next""#;

    #[test]
    fn the_next_link_is_found_on_separate_header_lines() {
        assert_eq!(
            next_link([SELF_LINK, NEXT_LINK]).as_deref(),
            Some("https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200")
        );
    }

    #[test]
    fn the_next_link_is_found_in_a_comma_joined_value() {
        let joined = format!("{SELF_LINK}, {NEXT_LINK}");
        assert_eq!(
            next_link([joined.as_str()]).as_deref(),
            Some("https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200")
        );
        let reversed = format!("{NEXT_LINK},{SELF_LINK}");
        assert!(next_link([reversed.as_str()]).is_some_and(|u| u.contains("after=")));
    }

    #[test]
    fn the_last_page_has_no_next_link() {
        assert_eq!(next_link([SELF_LINK]), None);
        assert_eq!(next_link(std::iter::empty()), None);
    }

    #[test]
    fn the_url_is_kept_verbatim_including_commas_and_encoded_filters() {
        let v = r#"<http://127.0.0.1:1/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&after=a,b&limit=200>; rel="next""#;
        assert_eq!(
            next_link([v]).as_deref(),
            Some(
                "http://127.0.0.1:1/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&after=a,b&limit=200"
            )
        );
    }

    #[test]
    fn rel_is_matched_case_insensitively_among_several_values_and_params() {
        let v = r#"<https://a/1>; title="a, b"; REL="prev Next""#;
        assert_eq!(next_link([v]).as_deref(), Some("https://a/1"));
        assert_eq!(next_link(["garbage without brackets"]), None);
        assert_eq!(next_link(["<unterminated; rel=\"next\""]), None);
    }
}
