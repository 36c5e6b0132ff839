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
mod tests;
