use super::*;
use crate::plan::Policy;
use std::time::Duration;

fn digest(run: i64) -> Latest {
    let inputs = crate::sync::RunInputs {
        snapshot: Arc::new(Snapshot::default()),
        users: Arc::new(Vec::new()),
        at: DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        applied: None,
    };
    let plan = Plan {
        at: inputs.at,
        actions: Vec::new(),
        findings: Vec::new(),
        next_wakeup: None,
        managed_users: 0,
    };
    let policy = Arc::new(Policy::with_defaults(Policy::empty_mapping()));
    Latest::build(RunId(run), &inputs, plan, policy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digests_are_built_one_at_a_time_and_the_newest_run_wins() {
    let shared = Shared::default();
    let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for run in 1..=4 {
        let counter = Arc::clone(&started);
        shared.publish_later(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            digest(run)
        });
        while run == 1 && started.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let start = std::time::Instant::now();
    while shared.get().is_none_or(|l| l.run_id.0 != 4) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "run 4's digest never came"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        started.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "the first build, then only the newest of those handed over meanwhile"
    );
}
