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
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        [n; 32]
    }

    #[test]
    fn a_key_seen_again_within_the_window_is_a_duplicate_and_after_it_is_new() {
        let t0 = Instant::now();
        let mut seen = RecentKeys::new(Duration::from_secs(600), 10);
        assert!(seen.first_seen(key(1), t0));
        assert!(!seen.first_seen(key(1), t0 + Duration::from_secs(599)));
        assert!(seen.first_seen(key(2), t0 + Duration::from_secs(599)));
        assert!(seen.first_seen(key(1), t0 + Duration::from_secs(600)));
    }

    #[test]
    fn the_memory_never_holds_more_than_its_capacity_and_forgets_the_oldest_first() {
        let t0 = Instant::now();
        let mut seen = RecentKeys::new(Duration::from_secs(600), 3);
        for n in 0..100 {
            assert!(seen.first_seen(key(n), t0));
            assert!(seen.len() <= 3);
        }
        assert!(!seen.first_seen(key(99), t0), "the newest is kept");
        assert!(seen.first_seen(key(0), t0), "the oldest was forgotten");
    }
}
