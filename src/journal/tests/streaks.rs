//! Failure streaks: grow on the same permanent failure, restart on other inputs or another
//! error, end on success or `hrsync retry`, and survive reopening the file.

use super::*;

fn failed(subject: &str, fingerprint: &str, code: &str) -> StreakUpdate {
    StreakUpdate::FailedPermanently {
        subject: subject.to_owned(),
        kind: "create".to_owned(),
        fingerprint: fingerprint.to_owned(),
        error_code: Some(code.to_owned()),
        message: format!("Okta 400 {code}"),
    }
}

fn failures(journal: &Journal) -> Vec<(String, u32)> {
    journal
        .failure_streaks()
        .unwrap()
        .into_iter()
        .map(|s| (s.subject, s.failures))
        .collect()
}

#[test]
fn the_same_failure_in_consecutive_runs_grows_the_streak_and_keeps_its_start() {
    for backend in backends() {
        let journal = backend.open();
        for hour in 9..12 {
            journal
                .update_failure_streaks(&[failed("7", "f1", "E0000001")], at(hour))
                .unwrap();
        }
        drop(journal);
        let journal = backend.open();
        let streaks = journal.failure_streaks().unwrap();
        assert_eq!(streaks.len(), 1);
        assert_eq!(streaks[0].failures, 3);
        assert_eq!(streaks[0].first_failed_at, at(9));
        assert_eq!(streaks[0].last_failed_at, at(11));
    }
}

#[test]
fn other_inputs_or_another_error_restart_the_streak_at_one() {
    for backend in backends() {
        let journal = backend.open();
        journal
            .update_failure_streaks(&[failed("7", "f1", "E0000001")], at(9))
            .unwrap();
        journal
            .update_failure_streaks(&[failed("7", "f1", "E0000001")], at(10))
            .unwrap();
        journal
            .update_failure_streaks(&[failed("7", "f2", "E0000001")], at(11))
            .unwrap();
        assert_eq!(failures(&journal), [("7".to_owned(), 1)]);
        journal
            .update_failure_streaks(&[failed("7", "f2", "E0000001")], at(12))
            .unwrap();
        journal
            .update_failure_streaks(&[failed("7", "f2", "E0000003")], at(13))
            .unwrap();
        let streak = &journal.failure_streaks().unwrap()[0];
        assert_eq!((streak.failures, streak.first_failed_at), (1, at(13)));
    }
}

#[test]
fn a_success_ends_a_streak_and_retry_clears_every_streak_of_one_subject_only() {
    for backend in backends() {
        let journal = backend.open();
        let deactivate = StreakUpdate::FailedPermanently {
            subject: "7".to_owned(),
            kind: "deactivate".to_owned(),
            fingerprint: "d".to_owned(),
            error_code: None,
            message: "unexpected response".to_owned(),
        };
        journal
            .update_failure_streaks(
                &[
                    failed("7", "f", "E1"),
                    deactivate,
                    failed("8", "f", "E1"),
                    failed("9", "f", "E1"),
                ],
                at(9),
            )
            .unwrap();
        journal
            .update_failure_streaks(
                &[StreakUpdate::Succeeded {
                    subject: "9".to_owned(),
                    kind: "create".to_owned(),
                }],
                at(10),
            )
            .unwrap();
        assert_eq!(journal.clear_failure_streaks("7").unwrap(), 2);
        assert_eq!(failures(&journal), [("8".to_owned(), 1)]);
        assert_eq!(journal.clear_failure_streaks("7").unwrap(), 0);
    }
}
