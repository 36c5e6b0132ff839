//! Login uniqueness: Okta refuses a login that equals another user's ignoring case and
//! accents, so hrsync compares logins by a key (NFKD, combining marks stripped, lower-cased)
//! against every Okta login and every login planned in the same run. Candidates: the login
//! template, then `login_fallbacks`, then a numeric suffix before the `@` of the last one.
//! Pure; no I/O.

use foldhash::HashSet;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Most numeric suffixes tried (`2` ..= this) before giving up.
pub const MAX_SUFFIX: u32 = 999;

/// The comparison key of a login: NFKD, combining marks removed, lower-cased.
pub fn login_key(login: &str) -> String {
    login_key_cow(login).into_owned()
}

/// [`login_key`], borrowing when the login is already its own key (ASCII, no capitals).
pub fn login_key_cow(login: &str) -> Cow<'_, str> {
    if login.is_ascii() {
        if login.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(login.to_ascii_lowercase());
        }
        return Cow::Borrowed(login);
    }
    Cow::Owned(
        login
            .nfkd()
            .filter(|c| !is_combining_mark(*c))
            .collect::<String>()
            .to_lowercase(),
    )
}

/// `base` with `n` inserted before the `@` (or appended when there is none).
pub fn with_suffix(base: &str, n: u32) -> String {
    match base.rfind('@') {
        Some(at) => format!("{}{n}{}", &base[..at], &base[at..]),
        None => format!("{base}{n}"),
    }
}

/// Logins already taken in Okta and planned in this run, by key.
#[derive(Debug, Default)]
pub struct LoginRegistry<'a> {
    okta: HashSet<Cow<'a, str>>,
    planned: HashSet<String>,
}

impl<'a> LoginRegistry<'a> {
    /// A registry holding the keys of these Okta logins.
    pub fn new(okta_logins: impl Iterator<Item = &'a str>) -> Self {
        // Sized once from the iterator's bound (a filtered listing reports 0 as its lower one).
        let (low, high) = okta_logins.size_hint();
        let mut okta = HashSet::with_capacity_and_hasher(high.unwrap_or(low), Default::default());
        okta.extend(okta_logins.map(login_key_cow));
        Self {
            okta,
            planned: HashSet::default(),
        }
    }

    /// Whether no Okta user has, and no employee was given in this run, a login with this key.
    pub fn is_free(&self, key: &str) -> bool {
        !self.okta.contains(key) && !self.planned.contains(key)
    }

    /// Picks the login for one employee among `candidates` (template first, then fallbacks):
    /// the template login when it is the user's own or free (a user on a fallback or numbered
    /// login gets the wanted one as soon as nobody holds it, so swaps and renames converge);
    /// else the user's own current login when it is one of the candidates or a numbered
    /// variant of the last one (it does not wander between fallbacks as others come and go);
    /// else the first free candidate; else the last candidate with the smallest free numeric
    /// suffix. Records the pick as planned. `None` if nothing is free.
    pub fn pick(&mut self, candidates: &[String], own: Option<&str>) -> Option<String> {
        let last = candidates.last()?;
        let own_key = own.map(login_key);
        let primary = candidates.first().filter(|p| {
            let key = login_key(p);
            own_key.as_deref() == Some(key.as_str()) || self.is_free(&key)
        });
        let chosen = primary
            .cloned()
            .or_else(|| {
                own_key.as_deref().and_then(|k| {
                    candidates
                        .iter()
                        .find(|c| login_key(c) == k)
                        .cloned()
                        .or_else(|| own_suffixed(last, k))
                })
            })
            .or_else(|| {
                candidates
                    .iter()
                    .find(|c| self.is_free(&login_key(c)))
                    .cloned()
            })
            .or_else(|| {
                (2..=MAX_SUFFIX)
                    .map(|n| with_suffix(last, n))
                    .find(|c| self.is_free(&login_key(c)))
            })?;
        self.planned.insert(login_key(&chosen));
        Some(chosen)
    }

    /// Records a login as planned without choosing (a user that keeps its login).
    pub fn reserve(&mut self, login: &str) {
        self.planned.insert(login_key(login));
    }
}

/// The numbered variant of `last` (exact spelling) whose key is the user's own login key.
fn own_suffixed(last: &str, own_key: &str) -> Option<String> {
    let last_key = login_key(last);
    let (local, domain) = match last_key.rfind('@') {
        Some(at) => (&last_key[..at], &last_key[at..]),
        None => (last_key.as_str(), ""),
    };
    let digits = own_key.strip_prefix(local)?.strip_suffix(domain)?;
    let n: u32 = digits.parse().ok()?;
    if digits.starts_with('0') || !(2..=MAX_SUFFIX).contains(&n) {
        return None;
    }
    Some(with_suffix(last, n))
}

#[cfg(test)]
mod tests;
