//! Active/standby on one PostgreSQL journal (issue 19): two real `hrsync run` processes share
//! the journal and the emulator. One leads; the other waits as a standby (`/readyz` 503,
//! role `standby`). When the leader is SIGKILLed mid-apply of 2,000 creates, the standby takes
//! over within the lease plus one renewal period and finishes: no duplicate, nothing lost,
//! epochs grow. When the leader is SIGSTOPped past its lease and continued after the standby
//! took over, it starts no Okta write (counted at the emulator; a request that had already
//! passed the write gate when it was stopped may still land, and Okta refuses it).

use crate::reliability::org::{Org, Setup, Tally, ids, roster};
use crate::support::{ModelUsers, free_port};
use hrsync::db::DbTarget;
use hrsync::db::testdb::TestDb;
use hrsync::emulator::{EmulatorConfig, Faults, RateLimits};
use hrsync::journal::{Journal, RunState, RunStatus};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const GROUP: &str = "active/standby on PostgreSQL";

/// Employees in the initial load.
const N: usize = 2_000;

/// `[ha] lease_seconds` in these tests.
const LEASE: Duration = Duration::from_secs(3);

/// Renewal (and standby retry) period: a third of the lease.
const TICK: Duration = Duration::from_secs(1);

/// An org whose journal is `db`, with two configs (one per instance, each its own port).
struct Pair {
    org: Org,
    db: TestDb,
    ports: [u16; 2],
}

impl Pair {
    async fn start(db: TestDb) -> Pair {
        // Buckets far above the load and a small latency per request: the load takes
        // seconds, so the kill lands mid-apply.
        let emulator = EmulatorConfig::default()
            .limits(RateLimits::uniform(10_000_000))
            .faults(Faults {
                latency_ms: 4,
                ..Faults::default()
            });
        let org = Org::start_with(&roster(N), emulator, Setup::default()).await;
        let ports = [free_port(), free_port()];
        let base = std::fs::read_to_string(org.config_path()).unwrap();
        let base = base.replace(
            "[journal]\npath = \"journal.db\"",
            "[journal]\nurl = { env = \"HRSYNC_TEST_JOURNAL_URL\" }",
        );
        for (i, port) in ports.iter().enumerate() {
            let toml = format!(
                "{base}\n[ha]\nlease_seconds = {}\n\n[schedule]\ncron = \"0 0 0 1 1 *\"\n\n[server]\nlisten = \"127.0.0.1:{port}\"\n",
                LEASE.as_secs()
            );
            std::fs::write(org.dir.path().join(format!("hrsync-{i}.toml")), toml).unwrap();
        }
        Pair { org, db, ports }
    }

    /// Starts instance `i` (`hrsync run`), its log in `run-<i>.log`.
    fn spawn(&self, i: usize) -> Child {
        let log = std::fs::File::create(self.org.dir.path().join(format!("run-{i}.log"))).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_hrsync"))
            .arg("--config")
            .arg(self.org.dir.path().join(format!("hrsync-{i}.toml")))
            .arg("run")
            .current_dir(self.org.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("NOTIFY_SOCKET")
            .env("HRSYNC_TEST_JOURNAL_URL", &self.db.url)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap()
    }

    fn log(&self, i: usize) -> String {
        std::fs::read_to_string(self.org.dir.path().join(format!("run-{i}.log")))
            .unwrap_or_default()
    }

    /// Instance `i`'s `/readyz` body, if it answers.
    async fn readyz(&self, i: usize) -> Option<serde_json::Value> {
        let url = format!("http://127.0.0.1:{}/readyz", self.ports[i]);
        let resp = reqwest::Client::new()
            .get(url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .ok()?;
        resp.json().await.ok()
    }

    /// Waits until instance `i` reports `role`.
    async fn wait_role(&self, i: usize, role: &str, bound: Duration) {
        let start = Instant::now();
        loop {
            if let Some(body) = self.readyz(i).await
                && body["role"] == role
            {
                return;
            }
            assert!(
                start.elapsed() < bound,
                "instance {i} never became {role}; its log:\n{}",
                self.log(i)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn journal(&self) -> Journal {
        Journal::open_url(&DbTarget::parse(&self.db.url).unwrap()).unwrap()
    }

    fn tally(&self) -> Tally {
        self.org.tally(&ids(N))
    }

    /// Waits until the emulator holds every employee once, activated.
    async fn wait_converged(&self, bound: Duration, logs: &[usize]) {
        let start = Instant::now();
        while self.tally() != Tally::CLEAN {
            assert!(
                start.elapsed() < bound,
                "not converged: {:?}; logs:\n{}",
                self.tally(),
                logs.iter()
                    .map(|i| self.log(*i))
                    .collect::<Vec<_>>()
                    .join("\n----\n")
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the run under `epoch` has finished.
    async fn wait_run_finished(&self, epoch: i64) {
        let journal = self.journal();
        let start = Instant::now();
        loop {
            let runs = journal.sync_runs(10).unwrap();
            if runs
                .iter()
                .any(|r| r.epoch == Some(epoch) && r.status != RunState::Running)
            {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "{runs:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_writes(&self, at_least: u64) {
        let start = Instant::now();
        while self.org.emulator.stats().writes() < at_least {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "the leader never made {at_least} writes:\n{}",
                self.log(0)
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Creates Okta refused (400: the login or anchor already exists).
fn refused_creates(pair: &Pair) -> u64 {
    pair.org
        .emulator
        .stats()
        .count_status("POST", "/api/v1/users", 400)
}

fn signal(child: &Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig}");
}

/// SIGTERM and wait (bounded) for a clean exit.
fn stop(mut child: Child) {
    signal(&child, "TERM");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit {status}");
            return;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the instance did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_finishes_the_load_after_the_leader_is_killed_mid_apply_without_a_duplicate() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let pair = Pair::start(db).await;
    let mut leader = pair.spawn(0);
    pair.wait_role(0, "leader", Duration::from_secs(30)).await;
    let standby = pair.spawn(1);
    pair.wait_role(1, "standby", Duration::from_secs(30)).await;
    let body = pair.readyz(1).await.unwrap();
    assert_eq!(body["epoch"], 1, "{body}");

    pair.wait_writes(500).await;
    leader.kill().unwrap(); // SIGKILL
    leader.wait().unwrap();
    let killed_at = Instant::now();
    let writes_at_kill = pair.org.emulator.stats().writes();
    assert!(
        writes_at_kill < N as u64,
        "the kill came after the load ({writes_at_kill} writes)"
    );

    pair.wait_role(1, "leader", LEASE + TICK + Duration::from_secs(3))
        .await;
    let took_over = killed_at.elapsed();
    assert!(
        took_over <= LEASE + TICK + Duration::from_secs(1),
        "took over after {took_over:?}"
    );
    pair.wait_converged(Duration::from_secs(120), &[1]).await;
    assert_eq!(pair.org.emulator.model_users().len(), N);
    pair.wait_run_finished(2).await;

    // The journal: the killed run is interrupted under epoch 1, the standby's run applied
    // under epoch 2 after a takeover, and every intent carries its run's epoch.
    let journal = pair.journal();
    let runs = journal.sync_runs(10).unwrap();
    let first = runs.iter().find(|r| r.epoch == Some(1)).unwrap();
    let second = runs.iter().find(|r| r.epoch == Some(2)).unwrap();
    assert_eq!(first.status, RunState::Interrupted);
    assert_eq!(second.trigger, "takeover");
    assert_eq!(second.status, RunState::Finished(RunStatus::Applied));
    // The killed leader had made 500 creates at least; the standby made the rest (the
    // emulator may still have applied a few the killed leader had in flight).
    assert!(
        second.counts.created > 0 && second.counts.created <= N as u64 - 500,
        "{:?}",
        second.counts
    );
    stop(standby);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_paused_past_its_lease_writes_nothing_to_okta_after_it_is_continued() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let pair = Pair::start(db).await;
    let leader = pair.spawn(0);
    pair.wait_role(0, "leader", Duration::from_secs(30)).await;
    let standby = pair.spawn(1);
    pair.wait_role(1, "standby", Duration::from_secs(30)).await;

    pair.wait_writes(500).await;
    signal(&leader, "STOP");
    pair.wait_role(1, "leader", LEASE + TICK + Duration::from_secs(3))
        .await;
    pair.wait_converged(Duration::from_secs(120), &[1]).await;
    // The new leader's run may still send its last writes (reports' manager ids): count from
    // its end, so that every write afterwards can only be the old leader's.
    pair.wait_run_finished(2).await;
    let writes = pair.org.emulator.stats().writes();
    let refused = refused_creates(&pair);

    signal(&leader, "CONT");
    // Two leases: time for the old leader to finish its in-flight calls, try its next
    // writes, fail to renew and step down.
    tokio::time::sleep(LEASE * 2).await;
    // It starts no write after it was continued: its write window had closed. A request that
    // had already passed the gate when the process was stopped (waiting for a connection) can
    // still go out (Okta cannot check an epoch); at most one per concurrent request, and Okta
    // refuses each as a duplicate.
    let late = pair.org.emulator.stats().writes() - writes;
    assert!(
        late <= 8,
        "the continued leader wrote {late} times to Okta; its log:\n{}",
        pair.log(0)
    );
    assert_eq!(
        refused_creates(&pair) - refused,
        late,
        "every late write was refused by Okta; its log:\n{}",
        pair.log(0)
    );
    pair.wait_role(0, "standby", Duration::from_secs(10)).await;
    assert_eq!(pair.tally(), Tally::CLEAN);
    assert_eq!(pair.org.emulator.model_users().len(), N);
    let log = pair.log(0);
    assert!(
        log.contains("stopped writing") || log.contains("lost the leader lease"),
        "{log}"
    );
    stop(leader);
    stop(standby);
}

#[tokio::test]
async fn a_one_shot_sync_refuses_while_another_instance_leads() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let pair = Pair::start(db).await;
    let leases = pair.journal();
    leases
        .leases()
        .unwrap()
        .acquire("daemon-host/1", Duration::from_secs(60))
        .unwrap()
        .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hrsync"));
    let out = cmd
        .arg("--config")
        .arg(pair.org.dir.path().join("hrsync-0.toml"))
        .arg("sync")
        .env("HRSYNC_TEST_JOURNAL_URL", &pair.db.url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not syncing: standby: daemon-host/1 leads (lease epoch 1)"),
        "{stderr}"
    );
    assert_eq!(pair.org.emulator.stats().writes(), 0);

    // `check` names the holder.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hrsync"));
    cmd.arg("--config")
        .arg(pair.org.dir.path().join("hrsync-0.toml"))
        .arg("check")
        .env("HRSYNC_TEST_JOURNAL_URL", &pair.db.url);
    // Off the runtime's thread: the emulator answers check's Okta requests meanwhile.
    let check = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let shown = String::from_utf8_lossy(&check.stdout);
    assert!(
        shown.contains("leader lease") && shown.contains("held by daemon-host/1 (epoch 1) until "),
        "{shown}"
    );
}
