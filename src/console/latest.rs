//! What the console knows of the last run without asking anyone: its HR snapshot, the Okta
//! users it planned from, its plan, the forecast from its instant, and indexes over them
//! (search text, by employee id, by anchor). Built once per run on the blocking pool, after
//! the run has finished ([`Latest::build`]), and published by swapping one `Arc`
//! ([`Shared`]): a page clones the `Arc` and never re-plans, never waits for a run, and a run
//! never waits for a page.
//!
//! It must not: hold anything secret (the snapshot and the users hold what a run reads: HR
//! fields and the Okta attributes the mapping writes), or change after it is built.

use crate::journal::RunId;
use crate::mapping::MappingContext;
use crate::model::{Employee, OktaUser};
use crate::plan::forecast::{Due, forecast};
use crate::plan::{Finding, Plan, PlannedAction, Policy};
use crate::source::Snapshot;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// How far ahead the forecast is made: the Upcoming page shows up to this many days.
pub const FORECAST_DAYS: u32 = 60;

/// The last run's inputs, plan and forecast, indexed for the pages.
pub struct Latest {
    /// The run.
    pub run_id: RunId,
    /// The instant it planned for.
    pub at: DateTime<Utc>,
    /// Its HR snapshot.
    pub snapshot: Arc<Snapshot>,
    /// The Okta users as it left them (what it planned from, with what it applied).
    pub users: Arc<Vec<OktaUser>>,
    /// Its plan (after the limits moved held actions into findings).
    pub plan: Plan,
    /// The time-driven actions in `(at, horizon]`, in due order.
    pub forecast: Vec<Due>,
    /// The end of the forecast window.
    pub horizon: DateTime<Utc>,
    /// The planner's policy of the run (zones, activation and termination rules).
    pub policy: Arc<Policy>,
    /// Per employee (same order as the snapshot): display name, email, and the search text.
    people: Vec<Person>,
    /// Employee id → index in the snapshot.
    by_id: HashMap<String, usize>,
    /// Anchor value → indexes of the users carrying it.
    users_by_anchor: HashMap<String, Vec<usize>>,
    /// Employee id → indexes of the plan's actions.
    actions_by_employee: HashMap<String, Vec<usize>>,
    /// Employee id → indexes of the plan's findings.
    findings_by_employee: HashMap<String, Vec<usize>>,
    /// Employee id → indexes into the forecast.
    due_by_employee: HashMap<String, Vec<usize>>,
}

/// How a person is shown and found.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// `First Last`, from the mapping's `displayName` or `firstName` and `lastName`.
    pub name: String,
    /// The mapping's `email`, if any.
    pub email: String,
    /// Lower-case id, name, email and login, for search.
    haystack: String,
}

impl Latest {
    /// Indexes a run's inputs and plan and makes the forecast to [`FORECAST_DAYS`] ahead.
    /// Costs about one plan of the whole org: call it on the blocking pool.
    pub fn build(
        run_id: RunId,
        inputs: &crate::sync::RunInputs,
        plan: Plan,
        policy: Arc<Policy>,
    ) -> Self {
        let at = inputs.at;
        let horizon = at + Duration::days(i64::from(FORECAST_DAYS));
        let snapshot = Arc::clone(&inputs.snapshot);
        let users = match &inputs.applied {
            Some(_) => Arc::new(inputs.users_after()),
            None => Arc::clone(&inputs.users),
        };
        let due = forecast(&snapshot, &users, &policy, at, horizon, None);
        let people = snapshot
            .employees
            .iter()
            .map(|e| person(&policy, e))
            .collect();
        let by_id = snapshot
            .employees
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str().to_owned(), i))
            .collect();
        let mut users_by_anchor: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in users.iter().enumerate() {
            if let Some(anchor) = u.attr(&policy.anchor_attribute) {
                users_by_anchor
                    .entry(anchor.to_owned())
                    .or_default()
                    .push(i);
            }
        }
        let group = |ids: &mut dyn Iterator<Item = Option<&str>>| {
            let mut out: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, id) in ids.enumerate() {
                if let Some(id) = id {
                    out.entry(id.to_owned()).or_default().push(i);
                }
            }
            out
        };
        let actions_by_employee = group(
            &mut plan
                .actions
                .iter()
                .map(|a| a.employee_id.as_ref().map(|e| e.as_str())),
        );
        let findings_by_employee = group(
            &mut plan
                .findings
                .iter()
                .map(|f| f.employee_id.as_ref().map(|e| e.as_str())),
        );
        let due_by_employee = group(&mut due.iter().map(|d| Some(d.employee_id.as_str())));
        Self {
            run_id,
            at,
            snapshot,
            users,
            plan,
            forecast: due,
            horizon,
            policy,
            people,
            by_id,
            users_by_anchor,
            actions_by_employee,
            findings_by_employee,
            due_by_employee,
        }
    }

    /// The employee with this id, and how they are shown.
    pub fn employee(&self, id: &str) -> Option<(&Employee, &Person)> {
        let i = *self.by_id.get(id)?;
        Some((self.snapshot.employees.get(i)?, self.people.get(i)?))
    }

    /// How the employee at this index of the snapshot is shown.
    pub fn person_at(&self, index: usize) -> Option<&Person> {
        self.people.get(index)
    }

    /// The Okta users carrying `id` as their anchor.
    pub fn linked_users(&self, id: &str) -> Vec<&OktaUser> {
        self.users_by_anchor
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|i| self.users.get(*i))
            .collect()
    }

    /// The plan's actions for this employee.
    pub fn actions_for(&self, id: &str) -> Vec<&PlannedAction> {
        pick(&self.actions_by_employee, id, &self.plan.actions)
    }

    /// The plan's findings for this employee.
    pub fn findings_for(&self, id: &str) -> Vec<&Finding> {
        pick(&self.findings_by_employee, id, &self.plan.findings)
    }

    /// The employee's time-driven actions within the forecast window.
    pub fn due_for(&self, id: &str) -> Vec<&Due> {
        pick(&self.due_by_employee, id, &self.forecast)
    }

    /// Employees whose id, name, email or login contains every word of `query` (case
    /// insensitive), in snapshot order: at most `limit` after skipping `skip`, and whether
    /// more follow.
    pub fn search(&self, query: &str, skip: usize, limit: usize) -> (Vec<usize>, bool) {
        let words: Vec<String> = query
            .split_whitespace()
            .take(8)
            .map(str::to_lowercase)
            .collect();
        let mut hits = self
            .people
            .iter()
            .enumerate()
            .filter(|(_, p)| words.iter().all(|w| p.haystack.contains(w.as_str())))
            .map(|(i, _)| i)
            .skip(skip);
        let page: Vec<usize> = hits.by_ref().take(limit).collect();
        let more = hits.next().is_some();
        (page, more)
    }

    /// The zone the employee's dates are read in.
    pub fn zone_of(&self, e: &Employee) -> Tz {
        e.timezone.unwrap_or(self.policy.default_timezone)
    }
}

fn pick<'a, T>(index: &HashMap<String, Vec<usize>>, id: &str, all: &'a [T]) -> Vec<&'a T> {
    index
        .get(id)
        .into_iter()
        .flatten()
        .filter_map(|i| all.get(*i))
        .collect()
}

/// The name and email the mapping gives an employee (empty when it has none).
fn person(policy: &Policy, e: &Employee) -> Person {
    let ctx = MappingContext::alone(e);
    let render = |name: &str| -> String {
        policy
            .mapping
            .attributes
            .get(name)
            .and_then(|m| crate::mapping::profile::render_attribute(name, m, &ctx).ok())
            .flatten()
            .and_then(|d| match d {
                crate::mapping::profile::Desired::Set(v) => Some(v),
                crate::mapping::profile::Desired::Clear => None,
            })
            .unwrap_or_default()
    };
    let display = render("displayName");
    let name = if display.is_empty() {
        format!("{} {}", render("firstName"), render("lastName"))
            .trim()
            .to_owned()
    } else {
        display
    };
    let email = render("email");
    let login = render("login");
    let haystack = format!("{} {name} {email} {login}", e.id.as_str()).to_lowercase();
    Person {
        name,
        email,
        haystack,
    }
}

/// A digest to build, handed over by a finished run.
type Job = Box<dyn FnOnce() -> Latest + Send>;

/// The builds waiting or running.
#[derive(Default)]
struct Builds {
    /// The newest run's job, not started yet (an older one waiting is replaced).
    pending: Option<Job>,
    /// Whether a worker on the blocking pool is building.
    running: bool,
}

/// The latest [`Latest`], swapped whole after each run; cheap to clone (two `Arc`s).
#[derive(Clone, Default)]
pub struct Shared {
    latest: Arc<RwLock<Option<Arc<Latest>>>>,
    builds: Arc<Mutex<Builds>>,
}

impl Shared {
    /// The latest digest, if a run has made one.
    pub fn get(&self) -> Option<Arc<Latest>> {
        self.latest
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Builds a digest with `job` on the blocking pool and publishes it. One build at a
    /// time: a job handed over while one runs waits, and replaces any older one waiting, so
    /// runs closer together than a build never pile builds up. Call from a tokio runtime.
    pub fn publish_later(&self, job: impl FnOnce() -> Latest + Send + 'static) {
        let mut builds = self.builds.lock().unwrap_or_else(PoisonError::into_inner);
        builds.pending = Some(Box::new(job));
        if builds.running {
            return;
        }
        builds.running = true;
        drop(builds);
        let shared = self.clone();
        tokio::task::spawn_blocking(move || {
            while let Some(job) = shared.next_job() {
                shared.publish(job());
            }
        });
    }

    /// The job waiting, or `None` (and no worker running any more).
    fn next_job(&self) -> Option<Job> {
        let mut builds = self.builds.lock().unwrap_or_else(PoisonError::into_inner);
        let job = builds.pending.take();
        builds.running = job.is_some();
        job
    }

    /// Replaces the digest. The lock is held only for the pointer swap: the old digest is
    /// dropped after it is released (or by the last page still reading it).
    pub fn publish(&self, latest: Latest) {
        let latest = Some(Arc::new(latest));
        let old = std::mem::replace(
            &mut *self.latest.write().unwrap_or_else(PoisonError::into_inner),
            latest,
        );
        drop(old);
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let run = self.get().map(|l| l.run_id);
        f.debug_struct("Shared").field("run", &run).finish()
    }
}

#[cfg(test)]
mod tests;
