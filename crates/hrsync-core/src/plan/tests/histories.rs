//! Property test over HR histories: hires, leavers, records removed, rehires under the same or
//! a new id, id re-keys and email changes, one step at a time, each step planned and applied
//! (twice: a freed login moves in the next run). After every step, nobody has two live
//! accounts — by anchor or by email — and the plan after applying is empty.

use super::*;
use crate::model::{Employee, UserStatus};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A person as HR knows them now.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    email: String,
    working: bool,
    in_hr: bool,
}

/// What happens to person `who` in one step.
#[derive(Debug, Clone, Copy)]
enum Step {
    Hire,
    Leave,
    RemoveRecord,
    RehireSameId,
    RehireNewId,
    ReKey,
    NewEmail,
    SwapEmailWithNext,
}

fn arb_step() -> impl Strategy<Value = (Step, usize)> {
    (
        prop_oneof![
            Just(Step::Hire),
            Just(Step::Leave),
            Just(Step::RemoveRecord),
            Just(Step::RehireSameId),
            Just(Step::RehireNewId),
            Just(Step::ReKey),
            Just(Step::NewEmail),
            Just(Step::SwapEmailWithNext),
        ],
        0..6usize,
    )
}

fn employee(p: &Person, n: usize) -> Employee {
    let mut e = emp(&p.id, "Person", &format!("Number{n}")).with("email", &p.email);
    if !p.working {
        e = e.terminating("2026-11-01");
    }
    e
}

fn live_count(users: &[OktaUser], matches: impl Fn(&OktaUser) -> bool) -> usize {
    users
        .iter()
        .filter(|u| u.status != UserStatus::Deprovisioned && matches(u))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn through_any_hr_history_nobody_has_two_live_accounts_and_plans_converge(
        steps in proptest::collection::vec(arb_step(), 1..14),
    ) {
        let now = "2026-12-01T12:00:00Z";
        let mut people: Vec<Person> = (0..3)
            .map(|n| Person {
                id: format!("{}", 100 + n),
                email: format!("p{n}@example.com"),
                working: true,
                in_hr: true,
            })
            .collect();
        let mut users: Vec<OktaUser> = Vec::new();
        let mut next_id = 500;
        let mut next_email = 0;
        for (step, who) in steps {
            let n = people.len();
            let i = who % n;
            match step {
                Step::Hire => people.push(Person {
                    id: format!("{}", 100 + n),
                    email: format!("p{n}@example.com"),
                    working: true,
                    in_hr: true,
                }),
                Step::Leave => people[i].working = false,
                Step::RemoveRecord => people[i].in_hr = false,
                Step::RehireSameId => {
                    people[i].working = true;
                    people[i].in_hr = true;
                }
                Step::RehireNewId => {
                    next_id += 1;
                    people[i] = Person { id: next_id.to_string(), working: true, in_hr: true, ..people[i].clone() };
                }
                Step::ReKey => people[i].id = format!("0{}", people[i].id),
                Step::NewEmail => {
                    next_email += 1;
                    people[i].email = format!("new{next_email}@example.com");
                }
                Step::SwapEmailWithNext => {
                    let j = (i + 1) % n;
                    if i != j {
                        let (a, b) = (people[i].email.clone(), people[j].email.clone());
                        people[i].email = b;
                        people[j].email = a;
                    }
                }
            }
            let snap = snapshot(
                people
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.in_hr)
                    .map(|(k, p)| employee(p, k))
                    .collect(),
            );
            let p = policy();
            for _ in 0..2 {
                let planned = plan(&snap, &users, &p, utc(now));
                apply(&planned, &mut users);
            }
            let after = plan(&snap, &users, &p, utc(now));
            prop_assert!(after.is_empty(), "did not converge after {step:?}: {:?}", after.actions);
            let mut by_anchor: BTreeMap<String, usize> = BTreeMap::new();
            for u in users.iter().filter(|u| u.status != UserStatus::Deprovisioned) {
                if let Some(a) = u.attr("employeeNumber") {
                    *by_anchor.entry(a.to_owned()).or_default() += 1;
                }
            }
            prop_assert!(by_anchor.values().all(|c| *c <= 1), "two live accounts on one id after {step:?}: {by_anchor:?}");
            for person in people.iter().filter(|p| p.in_hr) {
                let with_email = live_count(&users, |u| u.attr("email") == Some(person.email.as_str()));
                prop_assert!(with_email <= 1, "{} live accounts with {} after {step:?}", with_email, person.email);
            }
        }
    }
}
