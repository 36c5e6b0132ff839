//! Primary emails are personal: a password reset or an MFA enrolment mail goes there. The
//! planner never creates an account whose primary email another employee wants, or another
//! Okta user already has (as email or login); it reports a `shared_email` conflict naming them
//! instead. Pure; the index is built only in runs that create someone.

use super::build::Builder;
use crate::mapping::Rendered;
use foldhash::HashMap;
use std::cell::OnceCell;

/// Who holds which primary email, keyed by the address in lower case.
#[derive(Debug, Default)]
pub(super) struct EmailIndex {
    /// Employees (index into `emps`) whose `email` template renders to the address.
    employees: HashMap<String, Vec<usize>>,
    /// Okta users (index into `users`) with the address as `email` or `login`.
    users: HashMap<String, Vec<usize>>,
}

/// The lazily built index of one planning pass.
pub(super) type LazyEmails = OnceCell<EmailIndex>;

impl Builder<'_> {
    fn email_index(&self) -> &EmailIndex {
        self.emails.get_or_init(|| {
            let mut index = EmailIndex::default();
            if let Some(email) = self.policy.mapping.attributes.get("email") {
                for i in 0..self.emps.len() {
                    if let Ok(Rendered::Value(v)) = email.template.render(&self.context(i)) {
                        index.employees.entry(v.to_lowercase()).or_default().push(i);
                    }
                }
            }
            // A linked user whose profile this run rewrites holds what it will hold after the
            // run: its employee's email (indexed above) and picked login, so an address freed
            // in this run is free now (the next run would see it so).
            let mut rewritten = vec![false; self.users.len()];
            for j in 0..self.emps.len() {
                if let (Some(u), Some(login)) = (self.user_of(j), &self.logins[j]) {
                    rewritten[u] = true;
                    index.users.entry(login.to_lowercase()).or_default().push(u);
                }
            }
            for (u, user) in self.users.iter().enumerate() {
                if rewritten[u] {
                    continue;
                }
                let mut seen: Option<String> = None;
                for attr in ["email", "login"] {
                    if let Some(v) = user.attr(attr) {
                        let key = v.trim().to_lowercase();
                        if seen.as_deref() != Some(key.as_str()) && !key.is_empty() {
                            index.users.entry(key.clone()).or_default().push(u);
                            seen = Some(key);
                        }
                    }
                }
            }
            index
        })
    }

    /// Why employee `i` (who has no Okta user) may not be created with the primary email its
    /// mapping gives, if it may not. Called once linked employees have their logins.
    pub(super) fn email_refusal(&self, i: usize) -> Option<String> {
        let email = self.policy.mapping.attributes.get("email")?;
        match email.template.render(&self.context(i)) {
            Ok(Rendered::Value(v)) => self.shared_email(i, &v),
            _ => None,
        }
    }

    /// Why employee `i` (who has no Okta user) may not be created with primary email `email`:
    /// the other employees and Okta users that hold it, as a sentence; `None` when it is theirs
    /// alone.
    pub(super) fn shared_email(&self, i: usize, email: &str) -> Option<String> {
        let key = email.trim().to_lowercase();
        let index = self.email_index();
        let others: Vec<String> = index
            .employees
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|&&j| j != i)
            .map(|&j| format!("employee {}", self.emps[j].id))
            .collect();
        let users: Vec<String> = index
            .users
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&u| {
                let user = &self.users[u];
                format!(
                    "Okta user {} ({}, login {})",
                    user.id,
                    user.status,
                    user.login().unwrap_or("-")
                )
            })
            .collect();
        if others.is_empty() && users.is_empty() {
            return None;
        }
        let holders: Vec<String> = others.into_iter().chain(users).collect();
        Some(format!(
            "employee {} ({}): the primary email {email} is also {}'s; no account is created with another person's mailbox. Fix the email in the HR system (do two records share a mailbox?)",
            self.emps[i].id,
            self.emps[i].origin,
            holders.join(", ")
        ))
    }
}
