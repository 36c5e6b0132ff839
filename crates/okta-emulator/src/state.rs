//! The in-memory user store: users in an id-ordered map (the pagination order), a login index
//! that ignores case and accents, pending asynchronous activations, and a lagging copy used
//! by `search`/`filter` when eventual consistency is switched on. No HTTP here.

use super::user::UserRecord;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Locks a mutex, ignoring poisoning (the data stays usable: every update is a whole
/// replacement).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current time, truncated to milliseconds as Okta reports it.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
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
                if let Some(target) = user.transitioning_to.take() {
                    user.set_status(target, at);
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
        if let Some(index) = self.search.as_mut() {
            index.queue.push_back((at, id.to_owned(), None));
            index.catch_up(at);
        }
        Some(user)
    }

    /// Drops every user.
    pub fn clear(&mut self) {
        *self = Self::default();
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
        if lag_ms == 0 {
            self.search = None;
            return self.after(after);
        }
        let index = self.search.get_or_insert_with(|| SearchIndex {
            users: self.users.clone(),
            queue: VecDeque::new(),
            lag_ms,
        });
        index.lag_ms = lag_ms;
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
