//! Held plans and approvals: approved once, used once, stale when the plan is gone.

use super::*;

#[test]
fn a_held_plan_is_approved_once_and_closed_as_used_or_stale() {
    for backend in backends() {
        let j = backend.open();
        assert_eq!(j.approve("abc", at(9)).unwrap(), Approval::Unknown);
        let run = j.begin_run(&start(3)).unwrap();
        j.record_held_plan("abc", run, "2 held: 2 deactivate", at(9))
            .unwrap();
        j.record_held_plan("abc", run, "ignored: the first record stays", at(9))
            .unwrap();
        assert_eq!(
            j.approve("abc", at(10)).unwrap(),
            Approval::Recorded {
                summary: "2 held: 2 deactivate".into()
            }
        );
        assert_eq!(j.approve("abc", at(10)).unwrap(), Approval::AlreadyOpen);
        assert_eq!(j.open_approvals().unwrap(), ["abc"]);
        j.close_approval("abc", true, run, at(11)).unwrap();
        assert!(j.open_approvals().unwrap().is_empty());
        assert_eq!(
            j.approve("abc", at(12)).unwrap(),
            Approval::Closed {
                state: "used".into()
            }
        );
        j.record_held_plan("def", run, "1 held: 1 create", at(12))
            .unwrap();
        j.approve("def", at(12)).unwrap();
        j.close_approval("def", false, run, at(13)).unwrap();
        assert_eq!(
            j.approve("def", at(13)).unwrap(),
            Approval::Closed {
                state: "stale".into()
            }
        );
    }
}
