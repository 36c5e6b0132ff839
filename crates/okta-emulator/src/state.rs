//! The in-memory user store: users in an id-ordered map (the pagination order), a login index
//! that ignores case and accents, the org's user schema with an index of the values of its
//! unique properties, pending asynchronous activations, and a lagging copy used by
//! `search`/`filter` when eventual consistency is switched on. No HTTP here, and no
//! validation beyond uniqueness (see `profile.rs`).

use super::errors::ApiError;
use super::schema::{CustomProperty, Schema};
use super::user::UserRecord;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Locks a mutex, ignoring poisoning (the data stays usable: every update is a whole
/// replacement).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current real time, truncated to milliseconds (authentication uses it; user timestamps
/// use the org clock, `clock.rs`).
pub fn now() -> DateTime<Utc> {
    super::clock::millis(Utc::now())
}

/// How a value of a unique property is compared: strings ignoring case (the emulator's
/// choice, as for logins; Okta does not document it), other values as JSON; `null` is
/// never a duplicate.
fn unique_key(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.to_lowercase()),
        other => Some(other.to_string()),
    }
}

/// A login as Okta compares it for uniqueness: accents removed, lower case.
pub fn login_key(login: &str) -> String {
    login
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The copy of the users that `search`/`filter` see, lagging behind writes.
#[derive(Debug, Default)]
struct SearchIndex {
    users: BTreeMap<String, UserRecord>,
    queue: VecDeque<(DateTime<Utc>, String, Option<UserRecord>)>,
    /// The lag of the latest search, so writes can catch up without a search.
    lag_ms: u64,
}

impl SearchIndex {
    /// Applies the queued writes that are older than the lag at `at`.
    fn catch_up(&mut self, at: DateTime<Utc>) {
        let horizon = Duration::try_milliseconds(i64::try_from(self.lag_ms).unwrap_or(i64::MAX))
            .and_then(|d| at.checked_sub_signed(d))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        while self.queue.front().is_some_and(|(t, _, _)| *t <= horizon) {
            if let Some((_, id, user)) = self.queue.pop_front() {
                match user {
                    Some(u) => {
                        self.users.insert(id, u);
                    }
                    None => {
                        self.users.remove(&id);
                    }
                }
            }
        }
    }
}

/// All users of the emulated org.
#[derive(Debug, Default)]
pub struct Store {
    users: BTreeMap<String, UserRecord>,
    logins: HashMap<String, String>,
    transitioning: BTreeSet<String>,
    search: Option<SearchIndex>,
    schema: Schema,
    /// Unique property → value key → id of the user holding it.
    unique: HashMap<String, HashMap<String, String>>,
}

impl Store {
    /// Completes asynchronous transitions whose time has come.
    pub fn settle(&mut self, at: DateTime<Utc>) {
        let due: Vec<String> = self
            .transitioning
            .iter()
            .filter(|id| {
                self.users
                    .get(*id)
                    .and_then(|u| u.pending_until)
                    .is_none_or(|t| t <= at)
            })
            .cloned()
            .collect();
        for id in due {
            self.transitioning.remove(&id);
            if let Some(mut user) = self.users.get(&id).cloned() {
                // The transition completed when it was due, not when someone looked.
                let done = user.pending_until.map_or(at, |t| t.min(at));
                if let Some(target) = user.transitioning_to.take() {
                    user.set_status(target, done);
                }
                user.pending_until = None;
                self.put(user, at);
            }
        }
    }

    /// A user by id, or by login (case- and accent-insensitive).
    ///
    /// A login shortname (the part before `@`) also finds its user when exactly one login has
    /// it, as in Okta.
    pub fn find(&self, id_or_login: &str) -> Option<&UserRecord> {
        self.users
            .get(id_or_login)
            .or_else(|| {
                self.logins
                    .get(&login_key(id_or_login))
                    .and_then(|id| self.users.get(id))
            })
            .or_else(|| self.by_shortname(id_or_login))
    }

    fn by_shortname(&self, short: &str) -> Option<&UserRecord> {
        if short.is_empty() || short.contains('@') {
            return None;
        }
        let key = login_key(short);
        let mut found = self
            .logins
            .iter()
            .filter(|(login, _)| login.split_once('@').is_some_and(|(local, _)| local == key))
            .map(|(_, id)| id);
        match (found.next(), found.next()) {
            (Some(id), None) => self.users.get(id),
            _ => None,
        }
    }

    /// The id of the user holding this login (ignoring case and accents).
    pub fn login_owner(&self, login: &str) -> Option<&str> {
        self.logins.get(&login_key(login)).map(String::as_str)
    }

    /// Inserts or replaces a user, keeping the indexes in step.
    pub fn put(&mut self, user: UserRecord, at: DateTime<Utc>) {
        if let Some(old) = self.users.get(&user.id)
            && let Some(old_login) = old.login()
        {
            let key = login_key(old_login);
            if self.logins.get(&key) == Some(&user.id) {
                self.logins.remove(&key);
            }
        }
        if let Some(login) = user.login() {
            self.logins.insert(login_key(login), user.id.clone());
        }
        self.unindex_unique(&user.id);
        self.index_unique(&user);
        if user.transitioning_to.is_some() && user.pending_until.is_some() {
            self.transitioning.insert(user.id.clone());
        } else {
            self.transitioning.remove(&user.id);
        }
        if let Some(index) = self.search.as_mut() {
            index
                .queue
                .push_back((at, user.id.clone(), Some(user.clone())));
            index.catch_up(at);
        }
        self.users.insert(user.id.clone(), user);
    }

    /// Deletes a user for good.
    pub fn remove(&mut self, id: &str, at: DateTime<Utc>) -> Option<UserRecord> {
        let user = self.users.remove(id)?;
        if let Some(login) = user.login() {
            let key = login_key(login);
            if self.logins.get(&key).map(String::as_str) == Some(id) {
                self.logins.remove(&key);
            }
        }
        self.transitioning.remove(id);
        self.unindex_unique(id);
        if let Some(index) = self.search.as_mut() {
            index.queue.push_back((at, id.to_owned(), None));
            index.catch_up(at);
        }
        Some(user)
    }

    /// Stores a user that existed before anyone looked (a seed): `search` sees it at once.
    pub fn put_indexed(&mut self, user: UserRecord, at: DateTime<Utc>) {
        if let Some(index) = self.search.as_mut() {
            index.users.insert(user.id.clone(), user.clone());
        }
        self.put(user, at);
    }

    /// Drops every user and the search index; the schema becomes `schema`.
    pub fn clear(&mut self, schema: Schema) {
        *self = Self::default();
        self.schema = schema;
        self.reindex_unique();
    }

    /// Switches the lagging search index on (from a copy of the users now) or off (`0`).
    pub fn set_search_lag(&mut self, lag_ms: u64) {
        if lag_ms == 0 {
            self.search = None;
        } else {
            let users = &self.users;
            self.search
                .get_or_insert_with(|| SearchIndex {
                    users: users.clone(),
                    queue: VecDeque::new(),
                    lag_ms,
                })
                .lag_ms = lag_ms;
        }
    }

    /// The org's user schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Adds configured custom properties the schema lacks (never retypes or removes).
    pub fn add_properties(&mut self, props: &BTreeMap<String, CustomProperty>, at: DateTime<Utc>) {
        self.schema.add_missing(props, at);
        self.reindex_unique();
    }

    /// Applies a partial schema update (`schema/patch.rs`); a removed property's values are
    /// dropped from every user, as Okta deletes them.
    pub fn patch_schema(
        &mut self,
        body: &Map<String, Value>,
        at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let users = &self.users;
        let duplicates = |name: &str| {
            let mut seen = std::collections::HashSet::new();
            users
                .values()
                .filter_map(|u| u.profile.get(name).and_then(unique_key))
                .any(|k| !seen.insert(k))
        };
        let applied = self.schema.apply_patch(body, duplicates, at)?;
        if !applied.removed.is_empty() {
            let touched: Vec<UserRecord> = self
                .users
                .values()
                .filter(|u| applied.removed.iter().any(|r| u.profile.contains_key(r)))
                .cloned()
                .collect();
            for mut u in touched {
                for r in &applied.removed {
                    u.profile.remove(r);
                }
                self.put(u, at);
            }
        }
        self.reindex_unique();
        Ok(())
    }

    /// The first unique property whose value in `profile` another user than `id` holds.
    pub fn unique_conflict(
        &self,
        profile: &Map<String, Value>,
        id: Option<&str>,
    ) -> Option<String> {
        self.unique.iter().find_map(|(name, values)| {
            let key = profile.get(name).and_then(unique_key)?;
            let owner = values.get(&key)?;
            (Some(owner.as_str()) != id).then(|| name.clone())
        })
    }

    fn index_unique(&mut self, user: &UserRecord) {
        for (name, values) in &mut self.unique {
            if let Some(key) = user.profile.get(name).and_then(unique_key) {
                values.entry(key).or_insert_with(|| user.id.clone());
            }
        }
    }

    fn unindex_unique(&mut self, id: &str) {
        let Some(old) = self.users.get(id) else {
            return;
        };
        for (name, values) in &mut self.unique {
            if let Some(key) = old.profile.get(name).and_then(unique_key)
                && values.get(&key).map(String::as_str) == Some(id)
            {
                values.remove(&key);
            }
        }
    }

    fn reindex_unique(&mut self) {
        self.unique = self
            .schema
            .unique_names()
            .into_iter()
            .map(|n| (n, HashMap::new()))
            .collect();
        let users: Vec<UserRecord> = if self.unique.is_empty() {
            Vec::new()
        } else {
            self.users.values().cloned().collect()
        };
        for u in &users {
            self.index_unique(u);
        }
    }

    /// Every user in id order.
    pub fn all(&self) -> impl Iterator<Item = &UserRecord> {
        self.users.values()
    }

    /// Users with an id strictly greater than `after` (all users when `None`), in id order.
    pub fn after<'a>(
        &'a self,
        after: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a UserRecord> + 'a> {
        match after {
            Some(a) => Box::new(
                self.users
                    .range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                    .map(|(_, u)| u),
            ),
            None => Box::new(self.users.values()),
        }
    }

    /// The users `search`/`filter` see at `at` with a lag of `lag_ms`, id > `after`, in id order.
    pub fn searchable<'a>(
        &'a mut self,
        at: DateTime<Utc>,
        lag_ms: u64,
        after: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a UserRecord> + 'a> {
        self.set_search_lag(lag_ms);
        if self.search.is_none() {
            return self.after(after);
        }
        let Some(index) = self.search.as_mut() else {
            return Box::new(std::iter::empty());
        };
        index.catch_up(at);
        match after {
            Some(a) => Box::new(
                index
                    .users
                    .range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                    .map(|(_, u)| u),
            ),
            None => Box::new(index.users.values()),
        }
    }
}

#[cfg(test)]
mod tests;
