//! A bounded memory of recently seen keys: a webhook route asks it whether a delivery was
//! already seen within a window, so a replay or a retry of the same delivery triggers no
//! second run. It holds at most `capacity` keys (the oldest is forgotten first) and forgets a
//! key `window` after it was first seen.
//!
//! Pure: every instant is a parameter; it knows nothing about HTTP or bob.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

/// A 32-byte key (a SHA-256 digest).
pub type Key = [u8; 32];

/// Keys seen within the window, oldest first.
#[derive(Debug)]
pub struct RecentKeys {
    /// How long a key is remembered after it was first seen.
    window: Duration,
    /// Most keys remembered.
    capacity: usize,
    /// Keys in the order first seen, with that instant.
    order: VecDeque<(Key, Instant)>,
    /// The same keys, for lookup.
    set: HashSet<Key>,
}

impl RecentKeys {
    /// An empty memory that keeps at most `capacity` keys (at least one) for `window`.
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self {
            window,
            capacity: capacity.max(1),
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }

    /// True when `key` was not seen within the window before `now` (it is remembered from
    /// now); false for a duplicate.
    pub fn first_seen(&mut self, key: Key, now: Instant) -> bool {
        while let Some(&(old, at)) = self.order.front() {
            if now.saturating_duration_since(at) < self.window {
                break;
            }
            self.order.pop_front();
            self.set.remove(&old);
        }
        if self.set.contains(&key) {
            return false;
        }
        if self.order.len() >= self.capacity
            && let Some((old, _)) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.order.push_back((key, now));
        self.set.insert(key);
        true
    }

    /// Keys remembered now.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests;
