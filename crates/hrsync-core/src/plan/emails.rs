//! Primary emails are personal: a password reset or an MFA enrolment mail goes there. The
//! planner never gives an account a primary email that another employee wants or that another
//! Okta user will still have after the run (as email or login): a create is refused, an email
//! change is left out of the update, each with a `shared_email` conflict naming them. Pure; the
//! index is built only in runs that need it (a create, or an email change).
//!
//! Who holds what after the run depends on which changes are refused, so the index is a small
//! fixpoint: start by assuming every updated user takes its employee's email, refuse the
//! contested changes, let those users keep their current email, and repeat until nothing new is
//! refused (refusals only grow, so it ends; usually after one pass). A plain swap of two emails
//! is contested by nobody and goes through in one run.

use super::build::Builder;
use crate::mapping::Rendered;
use foldhash::{HashMap, HashSet};
use std::cell::OnceCell;

/// Who holds which address, keyed by the address in lower case.
#[derive(Debug, Default)]
pub(super) struct EmailIndex {
    /// Employees (index into `emps`) whose `email` template renders to the address.
    wanted: HashMap<String, Vec<usize>>,
    /// Okta users (index into `users`) that have the address after this run, as email or login.
    held: HashMap<String, Vec<usize>>,
    /// Linked employees whose email change is refused (their user keeps its email).
    refused: HashSet<usize>,
    /// Each employee's wanted primary email, lower case (index into `emps`).
    wanted_by: Vec<Option<String>>,
}

/// The lazily built index of one planning pass.
pub(super) type LazyEmails = OnceCell<EmailIndex>;

fn key(address: &str) -> String {
    address.trim().to_lowercase()
}

impl Builder<'_> {
    /// Each employee's wanted primary email, lower case.
    fn wanted_emails(&self) -> Vec<Option<String>> {
        let Some(email) = self.policy.mapping.attributes.get("email") else {
            return vec![None; self.emps.len()];
        };
        (0..self.emps.len())
            .map(|i| match email.template.render(&self.context(i)) {
                Ok(Rendered::Value(v)) => Some(key(&v)),
                _ => None,
            })
            .collect()
    }

    fn email_index(&self) -> &EmailIndex {
        self.emails.get_or_init(|| {
            let wanted_by = self.wanted_emails();
            let mut index = EmailIndex::default();
            for (i, w) in wanted_by.iter().enumerate() {
                if let Some(w) = w {
                    index.wanted.entry(w.clone()).or_default().push(i);
                }
            }
            // The employee whose profile this run rewrites, per user.
            let mut updated_by: Vec<Option<usize>> = vec![None; self.users.len()];
            for j in 0..self.emps.len() {
                if let (Some(u), Some(_)) = (self.user_of(j), &self.logins[j]) {
                    updated_by[u] = Some(j);
                }
            }
            loop {
                index.held = HashMap::default();
                for (u, user) in self.users.iter().enumerate() {
                    let j = updated_by[u];
                    let email = match j {
                        Some(j) if !index.refused.contains(&j) => wanted_by[j].clone(),
                        _ => None,
                    }
                    .or_else(|| user.attr("email").map(key));
                    let login = j
                        .and_then(|j| self.logins[j].as_deref().map(key))
                        .or_else(|| user.login().map(key));
                    let mut seen = HashSet::default();
                    for a in [email, login].into_iter().flatten() {
                        if !a.is_empty() && seen.insert(a.clone()) {
                            index.held.entry(a).or_default().push(u);
                        }
                    }
                }
                let mut more = false;
                for (u, j) in updated_by.iter().enumerate() {
                    let Some(j) = *j else { continue };
                    let Some(w) = &wanted_by[j] else { continue };
                    let current = self.users[u].attr("email").map(key);
                    if index.refused.contains(&j) || current.as_deref() == Some(w.as_str()) {
                        continue;
                    }
                    let other_employee = index
                        .wanted
                        .get(w)
                        .is_some_and(|e| e.iter().any(|&k| k != j));
                    let other_user = index.held.get(w).is_some_and(|h| h.iter().any(|&v| v != u));
                    if other_employee || other_user {
                        index.refused.insert(j);
                        more = true;
                    }
                }
                if !more {
                    break;
                }
            }
            index.wanted_by = wanted_by;
            index
        })
    }

    /// Why employee `i` (who has no Okta user) may not be created with the primary email its
    /// mapping gives, if it may not. Called once linked employees have their logins.
    pub(super) fn email_refusal(&self, i: usize) -> Option<String> {
        let wanted = self.email_index().wanted_by.get(i)?.as_deref()?;
        self.shared_email(i, wanted)
    }

    /// Why employee `i` (who has no Okta user) may not be created with primary email `email`:
    /// the other employees and Okta users that hold it, as a sentence; `None` when it is theirs
    /// alone.
    pub(super) fn shared_email(&self, i: usize, email: &str) -> Option<String> {
        self.holders_sentence(i, None, email)
    }

    /// Why linked employee `i` (Okta user `u`) may not change its primary email to `email`,
    /// if it may not.
    pub(super) fn refused_email_change(&self, i: usize, u: usize, email: &str) -> Option<String> {
        if !self.email_index().refused.contains(&i) {
            return None;
        }
        self.holders_sentence(i, Some(u), email).or_else(|| {
            Some(format!(
                "employee {}: the primary email {email} is contested",
                self.emps[i].id
            ))
        })
    }

    fn holders_sentence(&self, i: usize, own: Option<usize>, email: &str) -> Option<String> {
        let k = key(email);
        let index = self.email_index();
        let others = index
            .wanted
            .get(&k)
            .into_iter()
            .flatten()
            .filter(|&&j| j != i)
            .map(|&j| format!("employee {}", self.emps[j].id));
        let users = index
            .held
            .get(&k)
            .into_iter()
            .flatten()
            .filter(|&&u| Some(u) != own)
            .map(|&u| {
                let user = &self.users[u];
                format!(
                    "Okta user {} ({}, login {})",
                    user.id,
                    user.status,
                    user.login().unwrap_or("-")
                )
            });
        let holders: Vec<String> = others.chain(users).collect();
        if holders.is_empty() {
            return None;
        }
        Some(format!(
            "employee {} ({}): the primary email {email} is also {}'s; no account gets another person's mailbox. Fix the email in the HR system (do two records share a mailbox?)",
            self.emps[i].id,
            self.emps[i].origin,
            holders.join(", ")
        ))
    }
}
