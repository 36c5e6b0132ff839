//! An HR source that hangs: the bob fake accepts the connection and then says nothing for a
//! minute, or sends HTTP 200 and the start of the JSON and never finishes the body. With
//! `[source] request_timeout_seconds = 1` the run fails after about a second (the request is
//! not repeated), names HiBob and the timeout, exits 1 through the real binary, and makes zero
//! Okta writes and zero deactivations although `orphans = "deactivate"`. The daemon keeps
//! running through the hang and syncs once bob answers again.

use super::feed_bob::{active_users, hibob_config};
use super::org::{Org, text};
use crate::bob_data::{ada, ben_prehire, chloe_leaver, lists};
use crate::bob_fake::{BobFake, Scripted};
use crate::support::ModelUsers;
use crate::support::{stop_daemon, wait_until};
use hrsync::daemon::{Daemon, SyncRunner, SystemClock};
use hrsync::emulator::EmulatorConfig;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The timeout the tests configure, and how long the fake stays silent (far longer).
const TIMEOUT: &str = "request_timeout_seconds = 1";
const SILENCE: Duration = Duration::from_secs(60);

/// A run that hits the timeout must end well before the fake would have answered.
const BOUND: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bob_that_never_answers_fails_the_run_within_the_timeout_naming_it_and_deactivates_nobody()
 {
    let bob = BobFake::start(vec![ada(), ben_prehire(), chloe_leaver()], lists()).await;
    let org = Org::start("unused\n", EmulatorConfig::default()).await;
    hibob_config(&org, &bob, TIMEOUT);
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let active = active_users(&org);
    assert!(active > 0, "{}", text(&first));

    for (label, script) in [
        ("no answer at all", Scripted::Hang(SILENCE)),
        ("a body that never ends", Scripted::StallBody),
    ] {
        bob.script([script]);
        org.emulator.reset_stats();
        let searches = bob.search_count();
        let started = Instant::now();
        let out = org.hrsync(&["sync"]).await;
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let error = stderr
            .lines()
            .find(|l| l.contains("did not answer"))
            .unwrap_or("");
        println!(
            "HR feed fault bob hang ({label}): exit {:?} after {took:?}: {error}",
            out.status.code()
        );
        assert_eq!(out.status.code(), Some(1), "{label}: {}", text(&out));
        assert!(took < BOUND, "{label}: the run took {took:?}");
        for needle in [
            "HiBob did not answer within 1 s",
            "request_timeout_seconds",
            &bob.base_url,
        ] {
            assert!(
                stderr.contains(needle),
                "{label}: {needle:?} in {}",
                text(&out)
            );
        }
        assert_eq!(
            bob.search_count(),
            searches + 1,
            "{label}: a request that timed out is not repeated"
        );
        assert_eq!(org.emulator.stats().writes(), 0, "{label}: {}", text(&out));
        assert_eq!(active_users(&org), active, "{label}: nobody deactivated");
    }

    // bob answers again: the next run syncs and still deactivates nobody.
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(active_users(&org), active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_keeps_running_through_a_hanging_bob_and_syncs_once_bob_answers() {
    let bob = BobFake::start(vec![ada(), ben_prehire(), chloe_leaver()], lists()).await;
    let org = Org::start("unused\n", EmulatorConfig::default()).await;
    hibob_config(&org, &bob, TIMEOUT);
    // The daemon's startup run meets the hang.
    bob.script([Scripted::Hang(SILENCE)]);
    let config = org.config();
    let runner = Arc::new(SyncRunner::new(
        org.config_path(),
        config.clone(),
        org.deps(),
    ));
    let daemon = Daemon::new(runner, config.schedule.clone(), SystemClock)
        .debounce(Duration::from_millis(100));
    let handle = daemon.handle();
    let health = daemon.health();
    let task = tokio::spawn(daemon.run());

    wait_until(BOUND, "the startup run never failed", || {
        !health.snapshot().ready() && health.snapshot().last_outcome.is_some()
    })
    .await;
    let line = health.snapshot().last_line.unwrap_or_default();
    assert!(line.contains("request_timeout_seconds"), "{line}");
    assert!(
        !task.is_finished(),
        "a hanging HR source does not stop the daemon"
    );
    assert!(
        org.emulator.model_users().is_empty(),
        "a hang changes nothing in Okta"
    );

    handle.trigger();
    wait_until(BOUND, "bob answered but the daemon never synced", || {
        !org.emulator.model_users().is_empty()
    })
    .await;
    stop_daemon(&handle, task).await;
}
