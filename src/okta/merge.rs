//! Merging copies of Okta users read at different moments: listings read side by side, a
//! listing that saw a user twice (changed while it paged), a cache and the users changed
//! since. The copy with the later `lastUpdated` always wins (a copy with none is never
//! later than one with one); on a tie the first is kept. Pure: reads nothing, decides
//! nothing about what to do with a user.

use crate::model::{OktaUser, OktaUserId};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Merges listings read side by side into one copy per user. Each listing's elements are
/// moved into one vector sized once, its own room freed as soon as it is moved (the
/// listings and the merged users are never all held at once), then [`newest_copies`].
pub(crate) fn merge_listings(listings: Vec<Vec<OktaUser>>) -> Vec<OktaUser> {
    let total = listings.iter().map(Vec::len).sum();
    let mut all = Vec::with_capacity(total);
    for mut listing in listings {
        all.append(&mut listing);
    }
    newest_copies(all)
}

/// One copy of each user, in the order of the copies kept: the one with the latest
/// `lastUpdated`, the first of them on a tie. The index borrows the ids (no copy of them).
pub(crate) fn newest_copies(mut users: Vec<OktaUser>) -> Vec<OktaUser> {
    let mut beaten = vec![false; users.len()];
    let mut any = false;
    {
        let mut kept: HashMap<&str, usize> = HashMap::with_capacity(users.len());
        for (i, user) in users.iter().enumerate() {
            match kept.entry(user.id.as_str()) {
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
                Entry::Occupied(mut slot) => {
                    any = true;
                    let j = *slot.get();
                    if user.last_updated > users[j].last_updated {
                        beaten[j] = true;
                        slot.insert(i);
                    } else {
                        beaten[i] = true;
                    }
                }
            }
        }
    }
    if any {
        let mut i = 0;
        users.retain(|_| {
            let keep = !beaten[i];
            i += 1;
            keep
        });
    }
    users
}

/// `users` with `fresh` merged in: a fresh copy of a known user replaces it only when its
/// `lastUpdated` is later; new users are added in order.
pub fn merge_newer(
    mut users: Vec<OktaUser>,
    fresh: impl IntoIterator<Item = OktaUser>,
) -> Vec<OktaUser> {
    let mut index: HashMap<OktaUserId, usize> = HashMap::with_capacity(users.len());
    index.extend(users.iter().enumerate().map(|(i, u)| (u.id.clone(), i)));
    for user in fresh {
        match index.get(&user.id) {
            Some(&i) => {
                if user.last_updated > users[i].last_updated {
                    users[i] = user;
                }
            }
            None => {
                index.insert(user.id.clone(), users.len());
                users.push(user);
            }
        }
    }
    users
}

#[cfg(test)]
mod tests;
