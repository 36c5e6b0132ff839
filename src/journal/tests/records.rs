//! Runs, intents, outcomes, findings and the last good snapshot, written and read back.

use super::*;
use crate::apply::Outcome;
use serde_json::json;

#[test]
fn an_update_intent_is_pending_until_its_outcome_is_recorded() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let action = journal
            .record_intent(run, &update("1042", "department", "Eng", "Sales"))
            .unwrap();

        let before = &journal.actions_for_run(run).unwrap()[0];
        assert_eq!(before.outcome, ActionState::Pending);
        assert_eq!(before.finished_at, None);
        assert_eq!(before.kind, "update");
        assert_eq!(before.reason, "profile_changed");
        assert_eq!(
            before.changes,
            json!({"department": {"old": "Eng", "new": "Sales"}})
        );

        journal
            .record_outcome(
                action,
                &Outcome::Applied {
                    okta_id: None,
                    request_id: None,
                },
            )
            .unwrap();
        let after = &journal.actions_for_run(run).unwrap()[0];
        assert_eq!(after.id, action);
        assert_eq!(after.outcome, ActionState::Applied { request_id: None });
        assert!(after.finished_at.is_some());
        assert_eq!(after.okta_id, Some(OktaUserId("00u1042".to_owned())));
    }
}

#[test]
fn a_create_keeps_attribute_names_but_not_profile_values() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let action = journal.record_intent(run, &create("1042")).unwrap();
        journal
            .record_outcome(
                action,
                &Outcome::Applied {
                    okta_id: Some(OktaUserId("00unew".to_owned())),
                    request_id: Some("reqDeactivate1".to_owned()),
                },
            )
            .unwrap();

        let record = &journal.actions_for_employee(&eid("1042"), 10).unwrap()[0];
        assert_eq!(
            record.outcome,
            ActionState::Applied {
                request_id: Some("reqDeactivate1".to_owned())
            },
            "the request id of an applied call is kept"
        );
        assert_eq!(
            record.changes,
            json!({"activate": false, "attributes": ["email", "employeeNumber", "firstName", "lastName"]})
        );
        let stored = record.changes.to_string();
        assert!(
            !stored.contains("Ada") && !stored.contains("Kowalski"),
            "{stored}"
        );
        assert_eq!(record.okta_id, Some(OktaUserId("00unew".to_owned())));
        assert_eq!(record.login.as_deref(), Some("ada.kowalski@example.com"));
    }
}

#[test]
fn a_failed_outcome_keeps_the_okta_error_code_and_request_id() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let action = journal.record_intent(run, &create("7")).unwrap();
        let outcome = Outcome::Failed {
            code: Some("E0000001".to_owned()),
            request_id: Some("reqAbc123".to_owned()),
            message: "login: An object with this field already exists".to_owned(),
            permanent: true,
        };
        journal.record_outcome(action, &outcome).unwrap();
        let record = &journal.actions_for_run(run).unwrap()[0];
        assert_eq!(
            record.outcome,
            ActionState::Failed {
                code: Some("E0000001".to_owned()),
                request_id: Some("reqAbc123".to_owned()),
                message: "login: An object with this field already exists".to_owned(),
            }
        );
        assert_eq!(record.okta_id, None);
    }
}

#[test]
fn a_second_outcome_for_an_action_is_refused_and_unknown_ids_are_named() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let action = journal.record_intent(run, &deactivate("9")).unwrap();
        let skipped = Outcome::Skipped {
            reason: "a fatal error stopped the run".to_owned(),
        };
        journal.record_outcome(action, &skipped).unwrap();
        assert!(matches!(
            journal.record_outcome(action, &Outcome::Applied { okta_id: None, request_id: None }),
            Err(JournalError::OutcomeAlreadyRecorded(a)) if a == action
        ));
        assert!(matches!(
            journal.record_outcome(ActionId(999), &skipped),
            Err(JournalError::UnknownAction(ActionId(999)))
        ));
        assert!(matches!(
            journal.record_intent(RunId(999), &deactivate("9")),
            Err(JournalError::UnknownRun(RunId(999)))
        ));
        let record = &journal.actions_for_run(run).unwrap()[0];
        assert_eq!(record.changes, serde_json::Value::Null);
        assert_eq!(record.outcome.label(), "skipped");
    }
}

#[test]
fn a_finished_run_keeps_its_status_counts_and_requests_and_finishes_once() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(120)).unwrap();
        assert_eq!(journal.run(run).unwrap().unwrap().status, RunState::Running);
        journal
            .finish_run(run, &finished(RunStatus::Partial))
            .unwrap();

        let record = journal.run(run).unwrap().unwrap();
        assert_eq!(record.status, RunState::Finished(RunStatus::Partial));
        assert_eq!(record.ended_at, Some(at(10)));
        assert_eq!(record.started_at, at(9));
        assert_eq!(record.counts, finished(RunStatus::Partial).counts);
        assert_eq!(record.okta_requests, 17);
        assert_eq!(
            (record.snapshot_employees, record.snapshot_rejected),
            (120, 1)
        );
        assert!(matches!(
            journal.finish_run(run, &finished(RunStatus::Applied)),
            Err(JournalError::RunAlreadyFinished(r)) if r == run
        ));
        assert!(matches!(
            journal.finish_run(RunId(42), &finished(RunStatus::Applied)),
            Err(JournalError::UnknownRun(RunId(42)))
        ));
        assert_eq!(journal.run(RunId(42)).unwrap(), None);
    }
}

#[test]
fn an_unfinished_run_shows_as_interrupted_with_its_pending_action_after_reopening() {
    for backend in backends() {
        let journal = backend.open();
        let done = journal.begin_run(&start(5)).unwrap();
        let done_action = journal.record_intent(done, &deactivate("1")).unwrap();
        journal
            .record_outcome(
                done_action,
                &Outcome::Applied {
                    okta_id: None,
                    request_id: None,
                },
            )
            .unwrap();
        journal
            .finish_run(done, &finished(RunStatus::Applied))
            .unwrap();
        let crashed = journal.begin_run(&start(5)).unwrap();
        let applied = journal
            .record_intent(crashed, &update("2", "title", "A", "B"))
            .unwrap();
        journal
            .record_outcome(
                applied,
                &Outcome::Applied {
                    okta_id: None,
                    request_id: None,
                },
            )
            .unwrap();
        journal.record_intent(crashed, &create("3")).unwrap();
        drop(journal);

        let journal = backend.open();
        assert_eq!(journal.mark_interrupted_runs().unwrap(), 1);
        assert_eq!(
            journal.mark_interrupted_runs().unwrap(),
            0,
            "marking is idempotent"
        );

        let run = journal.run(crashed).unwrap().unwrap();
        assert_eq!(run.status, RunState::Interrupted);
        assert_eq!(run.ended_at, None);
        assert!(
            run.error
                .unwrap()
                .contains("stopped before the run finished")
        );
        let actions = journal.actions_for_run(crashed).unwrap();
        assert_eq!(
            actions[0].outcome,
            ActionState::Applied { request_id: None },
            "known outcomes stay"
        );
        assert_eq!(actions[1].outcome.label(), "unknown (interrupted)");
        assert_eq!(actions[1].employee_id, Some(eid("3")));
        let untouched = journal.run(done).unwrap().unwrap();
        assert_eq!(untouched.status, RunState::Finished(RunStatus::Applied));
        assert_eq!(
            journal.actions_for_run(done).unwrap()[0].outcome,
            ActionState::Applied { request_id: None }
        );
    }
}

#[test]
fn a_late_outcome_replaces_unknown_after_a_mistaken_interruption_mark() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(5)).unwrap();
        let action = journal.record_intent(run, &deactivate("4")).unwrap();
        journal.mark_interrupted_runs().unwrap();
        journal
            .record_outcome(
                action,
                &Outcome::Applied {
                    okta_id: None,
                    request_id: None,
                },
            )
            .unwrap();
        journal
            .finish_run(run, &finished(RunStatus::Applied))
            .unwrap();
        assert_eq!(
            journal.actions_for_run(run).unwrap()[0].outcome,
            ActionState::Applied { request_id: None }
        );
        assert_eq!(
            journal.run(run).unwrap().unwrap().status,
            RunState::Finished(RunStatus::Applied)
        );
    }
}

#[test]
fn the_last_good_snapshot_is_none_at_first_then_the_latest_value_and_survives_reopening() {
    for backend in backends() {
        let journal = backend.open();
        assert_eq!(journal.last_good_snapshot().unwrap(), None);
        journal.set_last_good_snapshot(1000, at(9)).unwrap();
        journal.set_last_good_snapshot(990, at(10)).unwrap();
        assert_eq!(journal.last_good_snapshot().unwrap(), Some(990));
        drop(journal);
        assert_eq!(backend.open().last_good_snapshot().unwrap(), Some(990));
    }
}

#[test]
fn findings_are_stored_with_their_run_kind_and_reason() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let other = journal.begin_run(&start(3)).unwrap();
        let findings = vec![
            Finding {
                kind: FindingKind::Conflict,
                employee_id: Some(eid("11")),
                okta_id: Some(OktaUserId("00uX".to_owned())),
                reason: Reason::LoginConflict,
                detail: "an unanchored user has login ada@example.com".to_owned(),
            },
            Finding {
                kind: FindingKind::HeldBack,
                employee_id: None,
                okta_id: Some(OktaUserId("00uY".to_owned())),
                reason: Reason::HeldBackByLimit,
                detail: "26 deactivations exceed the limit of 25".to_owned(),
            },
        ];
        journal.record_findings(run, &findings).unwrap();
        let stored = journal.findings_for_run(run).unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].kind, "conflict");
        assert_eq!(stored[0].reason, "login_conflict");
        assert_eq!(stored[0].employee_id, Some(eid("11")));
        assert_eq!(stored[1].kind, "held_back");
        assert_eq!(stored[1].reason, "held_back_by_limit");
        assert_eq!(stored[1].detail, findings[1].detail);
        assert!(journal.findings_for_run(other).unwrap().is_empty());
        assert!(matches!(
            journal.record_findings(RunId(77), &findings),
            Err(JournalError::UnknownRun(RunId(77)))
        ));
    }
}

#[test]
fn runs_and_an_employees_actions_come_newest_first_within_the_limit() {
    for backend in backends() {
        let journal = backend.open();
        let mut runs = Vec::new();
        for _ in 0..3 {
            let run = journal.begin_run(&start(3)).unwrap();
            journal
                .record_intent(run, &update("5", "title", "a", "b"))
                .unwrap();
            journal
                .record_intent(run, &update("6", "title", "a", "b"))
                .unwrap();
            runs.push(run);
        }
        let listed: Vec<RunId> = journal.runs(2).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(listed, vec![runs[2], runs[1]]);
        let history = journal.actions_for_employee(&eid("5"), 2).unwrap();
        assert_eq!(
            history.iter().map(|a| a.run_id).collect::<Vec<_>>(),
            vec![runs[2], runs[1]]
        );
        assert!(history.iter().all(|a| a.employee_id == Some(eid("5"))));
        assert!(
            journal
                .actions_for_employee(&eid("404"), 10)
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn records_serialize_to_json_with_stable_names() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        journal.record_intent(run, &deactivate("8")).unwrap();
        journal.mark_interrupted_runs().unwrap();
        let run_json = serde_json::to_value(journal.run(run).unwrap().unwrap()).unwrap();
        assert_eq!(run_json["status"], "interrupted");
        assert_eq!(run_json["mode"], "sync");
        assert_eq!(run_json["counts"]["created"], 0);
        let action_json = serde_json::to_value(&journal.actions_for_run(run).unwrap()[0]).unwrap();
        assert_eq!(
            action_json["outcome"],
            json!({"state": "unknown", "note": "interrupted"})
        );
        assert_eq!(action_json["kind"], "deactivate");
        assert_eq!(action_json["employee_id"], "8");
    }
}

#[test]
fn clones_share_one_journal_across_threads() {
    for backend in backends() {
        let journal = backend.open();
        let run = journal.begin_run(&start(3)).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let journal = journal.clone();
                std::thread::spawn(move || {
                    for j in 0..25 {
                        let id = journal
                            .record_intent(run, &deactivate(&format!("{i}-{j}")))
                            .unwrap();
                        journal
                            .record_outcome(
                                id,
                                &Outcome::Applied {
                                    okta_id: None,
                                    request_id: None,
                                },
                            )
                            .unwrap();
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let actions = journal.actions_for_run(run).unwrap();
        assert_eq!(actions.len(), 100);
        assert!(
            actions
                .iter()
                .all(|a| a.outcome == ActionState::Applied { request_id: None })
        );
    }
}

#[test]
fn an_outcome_serializes_with_a_status_tag_for_apply_reports() {
    let failed = Outcome::Failed {
        code: Some("E0000001".to_owned()),
        request_id: None,
        message: "bad".to_owned(),
        permanent: true,
    };
    assert_eq!(
        serde_json::to_value(&failed).unwrap(),
        json!({"status": "failed", "code": "E0000001", "request_id": null, "message": "bad", "permanent": true})
    );
    let applied = Outcome::Applied {
        okta_id: Some(OktaUserId("00u1".to_owned())),
        request_id: Some("req1".to_owned()),
    };
    assert_eq!(
        serde_json::to_value(&applied).unwrap(),
        json!({"status": "applied", "okta_id": "00u1", "request_id": "req1"})
    );
}

#[test]
fn sync_runs_leave_out_plans_and_dry_runs_and_the_limit_counts_only_sync_runs() {
    let journal = Journal::open_in_memory().unwrap();
    let synced = journal.begin_run(&start(3)).unwrap();
    let planned = RunStart {
        mode: RunMode::DryRun,
        trigger: "plan".to_owned(),
        ..start(3)
    };
    let plan_ids: Vec<RunId> = (0..3)
        .map(|_| journal.begin_run(&planned).unwrap())
        .collect();
    let again = journal.begin_run(&start(4)).unwrap();

    let shown: Vec<RunId> = journal.sync_runs(2).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(shown, vec![again, synced]);
    assert_eq!(journal.sync_runs(1).unwrap().len(), 1);
    assert_eq!(journal.planned_only_runs().unwrap(), 3);
    let all: Vec<RunId> = journal.runs(10).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(all.len(), 5);
    assert!(plan_ids.iter().all(|id| all.contains(id)));
}
