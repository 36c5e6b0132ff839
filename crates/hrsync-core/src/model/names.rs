//! Shared names: HR field names and Okta attribute names repeat in every record, so each
//! distinct name is allocated once and shared ([`Arc<str>`]). Keeps a snapshot or a user
//! listing small and its key comparisons in a few hot cache lines.
//!
//! Plain data, no I/O.

use foldhash::HashSet;
use std::cell::RefCell;
use std::sync::Arc;

/// Most distinct names one table shares; past it, names are allocated per use. An HR export or
/// an Okta profile schema has dozens to hundreds of names; the cap only bounds what a hostile
/// or broken feed can make the table hold.
pub const MAX_SHARED_NAMES: usize = 4096;

/// A table of shared names.
#[derive(Debug, Default)]
pub struct Names {
    names: HashSet<Arc<str>>,
}

impl Names {
    /// The shared name equal to `name` (a fresh one once the table is full).
    pub fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(k) = self.names.get(name) {
            return Arc::clone(k);
        }
        let k: Arc<str> = Arc::from(name);
        if self.names.len() < MAX_SHARED_NAMES {
            self.names.insert(Arc::clone(&k));
        }
        k
    }

    /// Whether `name` was interned. Once the table is full a name may have been handed out
    /// without being kept, so a full table answers `true` (never claims a name is absent).
    pub fn contains(&self, name: &str) -> bool {
        self.names.len() >= MAX_SHARED_NAMES || self.names.contains(name)
    }
}

thread_local! {
    /// The names of Okta profile attributes, per thread: users are decoded by serde, which
    /// cannot be handed a table, on whichever runtime thread reads the page.
    static ATTRIBUTE_NAMES: RefCell<Names> = RefCell::new(Names::default());
}

/// The shared Okta attribute name equal to `name`.
pub fn attribute_name(name: &str) -> Arc<str> {
    ATTRIBUTE_NAMES.with(|names| names.borrow_mut().intern(name))
}

#[cfg(test)]
mod tests;
