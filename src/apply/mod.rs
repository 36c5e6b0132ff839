//! Apply: executes a [`Plan`] against an [`OktaWrite`] handle, recording every action in the
//! journal — the intent before the call, the outcome after — so a crash leaves an honest
//! record.
//!
//! Actions for one Okta user run in plan order; different users run concurrently, bounded by
//! the configured concurrency, level by level: an action that fills in the Okta id of a user
//! created in this run (a report's `managerId`) runs after that create has answered.
//! Deactivations and suspensions run last, after every other action has finished. A per-user
//! error is recorded and the run goes on; a fatal error (credentials, permissions) stops it,
//! and so does a shutdown request: the action in flight finishes, the rest are recorded as
//! skipped. Retries live in the client, not here.
//!
//! Under the leader lease (`options.fence`), each intent is recorded only if the run's epoch
//! still holds the lease (checked by the journal in the same transaction), and the Okta call is
//! made only while the fence's write window is open; once either refuses, the run stops
//! starting actions and reports itself deposed.

mod chains;
mod fills;
mod outcome;
mod report;

pub use outcome::Outcome;
pub use report::{ActionOutcome, ApplyReport};

use crate::journal::Journal;
use crate::okta::{self, OktaWrite};
use crate::plan::{Action, Plan, PlannedAction};
use crate::progress::{Finished, Progress};
use chains::chains;
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;
use tracing::Instrument;

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Most users worked on at once.
    pub concurrency: usize,
    /// When this turns `true`, no new action starts.
    pub shutdown: Option<watch::Receiver<bool>>,
    /// The anchor attribute: a create Okta refuses because another user already holds this
    /// employee's value (a unique anchor) is reported as an identity conflict.
    pub anchor_attribute: String,
    /// The leader lease's fence the run works under (`None`: a single instance).
    pub fence: Option<crate::ha::Fence>,
}

/// Why apply could not even start.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The journal could not be written: applying without a record is refused.
    #[error("journal")]
    Journal(#[from] crate::journal::JournalError),
}

/// Executes `plan` through `okta`, recording each action in `journal` under `run` and each
/// finished action (by kind and outcome) in `progress`.
pub async fn apply<D: OktaWrite>(
    plan: &Plan,
    okta: &D,
    journal: &Journal,
    run: crate::journal::RunId,
    options: &ApplyOptions,
    progress: &Progress,
) -> Result<ApplyReport, ApplyError> {
    let state = State {
        stop: AtomicBool::new(false),
        fatal: Mutex::new(None),
        outcomes: Mutex::new(Vec::with_capacity(plan.actions.len())),
        journal_error: Mutex::new(None),
        created: fills::CreatedIds::default(),
        anchor_conflicts: Mutex::new(Vec::new()),
        deposed: Mutex::new(None),
        answers: Mutex::new(Vec::new()),
    };
    let (gentle, destructive): (Vec<_>, Vec<_>) = plan
        .actions
        .iter()
        .enumerate()
        .partition(|(_, a)| !a.action.is_destructive());
    let concurrency = options.concurrency.max(1);
    for wave in [gentle, destructive] {
        let chains = chains(wave);
        let levels = fills::levels(&chains);
        let mut by_level: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        for (chain, level) in chains.into_iter().zip(levels) {
            by_level.entry(level).or_default().push(chain);
        }
        // A level starts when the one before has finished: its references are answered.
        for (_, chains) in by_level {
            stream::iter(chains)
                .for_each_concurrent(concurrency, |chain| {
                    let state = &state;
                    async move {
                        for (index, action) in chain {
                            let span = tracing::info_span!(
                                "action",
                                kind = action.action.kind().as_str(),
                                employee_id = action.employee_id.as_ref().map(|e| e.as_str()),
                                okta_id = action.okta_id.as_ref().map(|o| o.as_str()),
                            );
                            let finished =
                                run_one(index, action, okta, journal, run, options, state)
                                    .instrument(span)
                                    .await;
                            progress.action_finished(finished);
                        }
                    }
                })
                .await;
        }
    }
    if let Some(err) = state
        .journal_error
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        return Err(ApplyError::Journal(err));
    }
    let mut outcomes = state
        .outcomes
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|(index, _, _)| *index);
    Ok(ApplyReport {
        outcomes: outcomes
            .into_iter()
            .map(|(index, sent, outcome)| ActionOutcome {
                action: sent.unwrap_or_else(|| plan.actions[index].clone()),
                outcome,
            })
            .collect(),
        fatal: state.fatal.into_inner().unwrap_or_else(|e| e.into_inner()),
        interrupted: options.shutdown.as_ref().is_some_and(|s| *s.borrow()),
        deposed: state
            .deposed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
        anchor_conflicts: {
            let mut ids = state
                .anchor_conflicts
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            ids.sort();
            ids
        },
        answers: state
            .answers
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    })
}

struct State {
    stop: AtomicBool,
    fatal: Mutex<Option<okta::Error>>,
    /// (index in the plan, the action as sent when it differs from the plan's, outcome).
    outcomes: Mutex<Vec<(usize, Option<PlannedAction>, Outcome)>>,
    journal_error: Mutex<Option<crate::journal::JournalError>>,
    /// Ids answered by this run's creates, for the references of later levels.
    created: fills::CreatedIds,
    /// Employees whose create Okta refused for a duplicate unique anchor.
    anchor_conflicts: Mutex<Vec<crate::model::EmployeeId>>,
    /// Why this instance stopped writing: it lost the leader lease.
    deposed: Mutex<Option<String>>,
    /// The users Okta answered to creates and updates.
    answers: Mutex<Vec<crate::model::OktaUser>>,
}

impl State {
    fn push(&self, index: usize, sent: Option<PlannedAction>, outcome: Outcome) {
        self.outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((index, sent, outcome));
    }

    /// Stops the run because this instance no longer leads.
    fn depose(&self, why: String) {
        self.stop.store(true, Ordering::SeqCst);
        tracing::warn!("stopped writing: {why}");
        self.deposed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(why);
    }

    /// The reason an action is not started because the run was deposed, if it was.
    fn deposed_reason(&self) -> Option<String> {
        let deposed = self.deposed.lock().unwrap_or_else(|e| e.into_inner());
        deposed.as_ref().map(|why| format!("not started: {why}"))
    }

    fn stop_reason(&self, options: &ApplyOptions) -> Option<String> {
        if options.shutdown.as_ref().is_some_and(|s| *s.borrow()) {
            return Some("not started: shutdown requested".to_owned());
        }
        if self.stop.load(Ordering::SeqCst) {
            let fatal = self.fatal.lock().unwrap_or_else(|e| e.into_inner());
            let why = fatal.as_ref().map(ToString::to_string).unwrap_or_default();
            return Some(format!(
                "not started: the run stopped on a fatal error: {why}"
            ));
        }
        None
    }
}

/// Runs one action (intent, call, outcome) and says how it finished.
async fn run_one<D: OktaWrite>(
    index: usize,
    planned: &PlannedAction,
    okta: &D,
    journal: &Journal,
    run: crate::journal::RunId,
    options: &ApplyOptions,
    state: &State,
) -> Finished {
    let (action, unsendable) = match fills::resolve(planned, &state.created) {
        Ok(a) => (a, None),
        Err(why) => (std::borrow::Cow::Borrowed(planned), Some(why)),
    };
    let action = action.as_ref();
    if let Some(reason) = state.deposed_reason() {
        // A deposed instance records nothing more: the journal would refuse the intent.
        state.push(index, None, Outcome::Skipped { reason });
        return Finished::Skipped;
    }
    let intent = match &options.fence {
        Some(fence) => match journal.leases() {
            Some(leases) => leases.record_intent(run, action, fence.epoch()),
            None => Err(crate::journal::JournalError::NotLeader {
                epoch: fence.epoch(),
            }),
        },
        None => journal.record_intent(run, action),
    };
    let id = match intent {
        Ok(id) => id,
        Err(err @ crate::journal::JournalError::NotLeader { .. }) => {
            state.depose(err.to_string());
            let reason = state.deposed_reason().unwrap_or_default();
            state.push(index, None, Outcome::Skipped { reason });
            return Finished::Skipped;
        }
        Err(err) => {
            // Never act without a record of the intent.
            state.stop.store(true, Ordering::SeqCst);
            state
                .journal_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(err);
            return Finished::Skipped;
        }
    };
    if let Some(Err(lost)) = options.fence.as_ref().map(crate::ha::Fence::check) {
        state.depose(lost.to_string());
    }
    let outcome = match state
        .deposed_reason()
        .or_else(|| state.stop_reason(options))
        .or(unsendable)
    {
        Some(reason) => Outcome::Skipped { reason },
        None => execute(action, okta, &state.answers)
            .await
            .unwrap_or_else(|err| {
                if err.is_fenced() {
                    state.depose(err.to_string());
                } else if err.is_fatal() {
                    state.stop.store(true, Ordering::SeqCst);
                    state
                        .fatal
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert(err.clone());
                }
                if let (Action::Create { .. }, Some(employee)) =
                    (&action.action, &action.employee_id)
                    && err.is_duplicate_value(&options.anchor_attribute)
                {
                    // Okta itself refused a second account for this person: never retried under
                    // another login; the run reports it as a conflict.
                    state
                        .anchor_conflicts
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(employee.clone());
                }
                tracing::warn!(
                    employee_id = action.employee_id.as_ref().map(|i| i.as_str()),
                    okta_id = action.okta_id.as_ref().map(|i| i.as_str()),
                    action = action.action.kind().as_str(),
                    error_code = err.code(),
                    request_id = err.request_id(),
                    "action failed: {}",
                    crate::errors::describe(&err)
                );
                Outcome::Failed {
                    code: err.code().map(str::to_owned),
                    request_id: err.request_id().map(str::to_owned),
                    message: crate::errors::describe(&err),
                    permanent: err.class() == okta::ErrorClass::PerUser,
                }
            }),
    };
    if let Err(err) = journal.record_outcome(id, &outcome) {
        state
            .journal_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(err);
        state.stop.store(true, Ordering::SeqCst);
    }
    if let (
        Action::Create { .. },
        Some(employee),
        Outcome::Applied {
            okta_id: Some(id), ..
        },
    ) = (&action.action, &action.employee_id, &outcome)
    {
        state.created.insert(employee.clone(), id.clone());
    }
    let finished = match &outcome {
        Outcome::Applied { .. } => Finished::Applied(action.action.kind()),
        Outcome::Failed { .. } => Finished::Failed,
        Outcome::Skipped { .. } => Finished::Skipped,
    };
    let sent = (!std::ptr::eq(action, planned)).then(|| action.clone());
    state.push(index, sent, outcome);
    finished
}

/// Makes the one Okta call an action needs.
/// The user Okta answers to a create or an update is added to `answers`.
async fn execute<D: OktaWrite>(
    action: &PlannedAction,
    okta: &D,
    answers: &Mutex<Vec<crate::model::OktaUser>>,
) -> Result<Outcome, okta::Error> {
    let answered = |user: crate::model::OktaUser| {
        answers.lock().unwrap_or_else(|e| e.into_inner()).push(user);
    };
    let target = || {
        action.okta_id.clone().ok_or_else(|| {
            okta::Error::Decode(format!(
                "{} planned without an Okta user id",
                action.action.kind()
            ))
        })
    };
    let receipt = match &action.action {
        Action::Create { profile, activate } => {
            let written = okta.create_user(profile, *activate).await?;
            let okta_id = Some(written.user.id.clone());
            answered(written.user);
            return Ok(Outcome::Applied {
                okta_id,
                request_id: written.receipt.request_id,
            });
        }
        Action::Update { changes } => {
            let patch = changes
                .iter()
                .map(|(k, c)| (k.clone(), c.new.clone().unwrap_or(serde_json::Value::Null)))
                .collect();
            let written = okta.update_profile(&target()?, &patch).await?;
            answered(written.user);
            return Ok(Outcome::Applied {
                okta_id: action.okta_id.clone(),
                request_id: written.receipt.request_id,
            });
        }
        Action::Activate => okta.activate(&target()?).await?,
        Action::Deactivate => okta.deactivate(&target()?).await?,
        Action::Suspend => okta.suspend(&target()?).await?,
        Action::Unsuspend => okta.unsuspend(&target()?).await?,
    };
    Ok(Outcome::Applied {
        okta_id: action.okta_id.clone(),
        request_id: receipt.request_id,
    })
}
