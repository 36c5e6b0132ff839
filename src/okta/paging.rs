//! `Link` header parsing for Okta's cursor pagination: finds the `rel="next"` URL among any
//! number of `Link` header lines, each of which may hold several comma-joined links. The URL
//! is returned verbatim (never rebuilt from parts). [`PageGuard`] makes sure a listing ends:
//! no page is read twice and no listing has more pages than an org can hold. No I/O.

use std::collections::HashSet;
use url::Url;

/// Most users an Okta org holds, with a wide margin (Okta's largest orgs hold a few million).
pub const MAX_ORG_USERS: u32 = 10_000_000;

/// Most pages one listing may take at `page_size` users a page: enough for
/// [`MAX_ORG_USERS`] users, plus one for the last, empty-or-partial page. A server that keeps
/// inventing new cursors is stopped here rather than followed forever.
pub const fn max_pages(page_size: u32) -> u32 {
    let size = if page_size == 0 { 1 } else { page_size };
    MAX_ORG_USERS.div_ceil(size) + 1
}

/// Remembers the pages of one listing and refuses a next link that would not make progress:
/// a URL already read, an `after` cursor already used, or one page more than
/// [`max_pages`] allows.
#[derive(Debug)]
pub struct PageGuard {
    urls: HashSet<String>,
    cursors: HashSet<String>,
    pages: u32,
    max_pages: u32,
}

impl PageGuard {
    /// A guard for a listing starting at `first`, allowed `max_pages` pages.
    pub fn new(first: &Url, max_pages: u32) -> Self {
        let mut guard = Self {
            urls: HashSet::new(),
            cursors: HashSet::new(),
            pages: 0,
            max_pages,
        };
        guard.remember(first);
        guard
    }

    /// Pages admitted so far (the first included).
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// Admits `next` as the next page to read, or says why not.
    pub fn admit(&mut self, next: &Url) -> Result<(), String> {
        if self.pages >= self.max_pages {
            return Err(format!(
                "more than {} pages (room for {MAX_ORG_USERS} users)",
                self.max_pages
            ));
        }
        if self.urls.contains(next.as_str()) {
            return Err(format!(
                "the next link after page {} points back to a page already read",
                self.pages
            ));
        }
        if let Some(after) = cursor(next)
            && self.cursors.contains(&after)
        {
            return Err(format!(
                "the next link after page {} repeats the cursor after={after}",
                self.pages
            ));
        }
        self.remember(next);
        Ok(())
    }

    fn remember(&mut self, url: &Url) {
        self.pages += 1;
        self.urls.insert(url.as_str().to_owned());
        if let Some(after) = cursor(url) {
            self.cursors.insert(after);
        }
    }
}

/// The `after` cursor of a page URL, if any.
fn cursor(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.into_owned())
}

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

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_page_cap_holds_ten_million_users_at_200_a_page() {
        assert_eq!(max_pages(200), 50_001);
        assert_eq!(max_pages(0), MAX_ORG_USERS + 1);
    }

    #[test]
    fn a_next_link_to_a_page_already_read_is_refused() {
        let first = url("https://x.okta.com/api/v1/users?limit=200");
        let mut guard = PageGuard::new(&first, 100);
        assert!(guard.admit(&first).unwrap_err().contains("already read"));
        let second = url("https://x.okta.com/api/v1/users?after=a1&limit=200");
        guard.admit(&second).unwrap();
        guard
            .admit(&url("https://x.okta.com/api/v1/users?after=a2&limit=200"))
            .unwrap();
        assert!(guard.admit(&second).is_err());
        assert_eq!(guard.pages(), 3);
    }

    #[test]
    fn a_repeated_after_cursor_is_refused_even_in_another_url() {
        let first = url("https://x.okta.com/api/v1/users?limit=200&after=c1");
        let mut guard = PageGuard::new(&first, 100);
        let err = guard
            .admit(&url(
                "https://x.okta.com/api/v1/users?after=c1&limit=200&x=1",
            ))
            .unwrap_err();
        assert!(err.contains("after=c1"), "{err}");
    }

    #[test]
    fn ever_new_cursors_stop_at_the_page_cap() {
        let first = url("https://x.okta.com/api/v1/users?limit=200");
        let mut guard = PageGuard::new(&first, 5);
        for i in 0..4 {
            guard
                .admit(&url(&format!("https://x.okta.com/api/v1/users?after=c{i}")))
                .unwrap();
        }
        let err = guard
            .admit(&url("https://x.okta.com/api/v1/users?after=c9"))
            .unwrap_err();
        assert!(err.contains("more than 5 pages"), "{err}");
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
