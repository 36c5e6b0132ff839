//! The console's paged reads: a run's actions by kind and outcome, page after page; runs
//! older than a given one; held plans with the state of their approval.

use super::*;
use crate::apply::Outcome;

#[test]
fn a_runs_actions_are_paged_by_kind_and_outcome_in_intent_order() {
    for backend in backends() {
        let j = backend.open();
        let run = j.begin_run(&start(5)).unwrap();
        let other = j.begin_run(&start(5)).unwrap();
        let mut ids = Vec::new();
        for n in 0..5 {
            let id = j
                .record_intent(run, &deactivate(&format!("10{n}")))
                .unwrap();
            let outcome = if n % 2 == 0 {
                Outcome::Applied {
                    okta_id: None,
                    request_id: Some(format!("req{n}")),
                }
            } else {
                Outcome::Skipped {
                    reason: "shutdown".into(),
                }
            };
            j.record_outcome(id, &outcome).unwrap();
            ids.push(id);
        }
        j.record_intent(run, &create("200")).unwrap();
        j.record_intent(other, &deactivate("300")).unwrap();
        let filter = |kind: Option<&str>, outcome: Option<&str>, after, limit| ActionFilter {
            run,
            kind: kind.map(str::to_owned),
            outcome: outcome.map(str::to_owned),
            after,
            limit,
        };
        let page = |f: &ActionFilter| -> Vec<ActionId> {
            j.actions_page(f).unwrap().iter().map(|a| a.id).collect()
        };
        assert_eq!(
            page(&filter(None, None, None, 10)).len(),
            6,
            "the other run's action is not in it"
        );
        assert_eq!(page(&filter(Some("deactivate"), None, None, 10)), ids);
        assert_eq!(
            page(&filter(Some("deactivate"), Some("applied"), None, 10)),
            [ids[0], ids[2], ids[4]]
        );
        assert_eq!(
            page(&filter(None, Some("skipped"), None, 10)),
            [ids[1], ids[3]]
        );
        assert_eq!(
            page(&filter(Some("deactivate"), None, None, 2)),
            [ids[0], ids[1]]
        );
        assert_eq!(
            page(&filter(Some("deactivate"), None, Some(ids[1]), 2)),
            [ids[2], ids[3]],
            "the next page starts after the last id of the previous one"
        );
        let applied = j
            .actions_page(&filter(None, Some("applied"), None, 1))
            .unwrap();
        assert_eq!(
            applied[0].outcome,
            ActionState::Applied {
                request_id: Some("req0".into())
            }
        );
    }
}

#[test]
fn runs_are_paged_newest_first_and_held_plans_show_their_approval() {
    for backend in backends() {
        let j = backend.open();
        let runs: Vec<RunId> = (0..4).map(|_| j.begin_run(&start(3)).unwrap()).collect();
        let newest: Vec<RunId> = j.runs_page(None, 2).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(newest, [runs[3], runs[2]]);
        let older: Vec<RunId> = j
            .runs_page(Some(runs[2]), 5)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(older, [runs[1], runs[0]]);

        j.record_held_plan("aaa", runs[0], "2 held: 2 deactivate", at(9))
            .unwrap();
        j.record_held_plan("bbb", runs[1], "1 held: 1 create", at(10))
            .unwrap();
        j.approve("aaa", at(11)).unwrap();
        let held = j.held_plans(10).unwrap();
        assert_eq!(held.len(), 2);
        assert_eq!(
            (held[0].plan_id.as_str(), held[0].approval.as_deref()),
            ("bbb", None)
        );
        assert_eq!(
            (held[1].plan_id.as_str(), held[1].approval.as_deref()),
            ("aaa", Some("open"))
        );
        assert_eq!(held[1].summary, "2 held: 2 deactivate");
        assert_eq!(held[1].first_run, runs[0]);
        assert_eq!(j.held_plans(1).unwrap().len(), 1, "bounded by the limit");
    }
}
