//! Hostile edges of `hrsync run` (issue 16), through the real binary: under a low open-files
//! limit, hundreds of slow HTTP clients cannot take the descriptors a scheduled run needs; a
//! token Okta rejects at start keeps the daemon up (503 on `/readyz`, no restart loop) until
//! the token is accepted, and SIGTERM still stops it at once.

use super::org::{Org, Setup, roster};
use crate::support::{ModelUsers, free_port};
use hrsync::emulator::{ApiToken, EmulatorConfig};
use hrsync::journal::{Journal, RunState, RunStatus};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// A token the emulator does not know at first.
const REJECTED: &str = "00rej-Wrong-Token-Q8x7Lm2Np5Vb9Cz";

/// A `hrsync run` child, killed if the test ends without stopping it.
struct Running {
    child: Child,
    stderr: PathBuf,
}

impl Running {
    /// Starts `hrsync run` for `org` through `sh -c` with `shell_prefix` (e.g. a `ulimit`).
    fn start(org: &Org, shell_prefix: &str) -> Running {
        let stderr = org.dir.path().join("daemon.stderr");
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("{shell_prefix} exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_hrsync"))
            .arg("--config")
            .arg(org.config_path())
            .arg("run")
            .current_dir(org.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("HRSYNC_CONFIG")
            .env_remove("NOTIFY_SOCKET")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap());
        Running {
            child: cmd.spawn().unwrap(),
            stderr,
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends SIGTERM and returns the exit code and how long the exit took (10 s at most).
    async fn stop(mut self) -> (Option<i32>, Duration) {
        let sent = Instant::now();
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code(), sent.elapsed());
            }
            assert!(
                sent.elapsed() < Duration::from_secs(10),
                "no exit within 10 s of SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An org whose daemon serves on a free port with `server` and `schedule` lines.
async fn org(n: usize, server: &str, schedule: &str) -> (Org, u16) {
    let port = free_port();
    let extra =
        format!("\n[server]\nlisten = \"127.0.0.1:{port}\"\n{server}\n\n[schedule]\n{schedule}\n");
    let setup = Setup {
        extra,
        ..Setup::default()
    };
    (
        Org::start_with(&roster(n), EmulatorConfig::default(), setup).await,
        port,
    )
}

/// `GET path` on a fresh connection (no pool): status and body.
async fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let resp = http
        .get(format!("http://127.0.0.1:{port}{path}"))
        .send()
        .await
        .ok()?;
    Some((resp.status().as_u16(), resp.text().await.ok()?))
}

/// Polls `GET path` every 50 ms until `done` accepts the answer; fails after `bound`.
async fn poll(
    port: u16,
    path: &str,
    bound: Duration,
    done: impl Fn(u16, &str) -> bool,
) -> (u16, String) {
    let start = Instant::now();
    loop {
        if let Some((code, body)) = get(port, path).await
            && done(code, &body)
        {
            return (code, body);
        }
        assert!(
            start.elapsed() < bound,
            "{path} not as expected within {bound:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_low_open_files_limit_300_slow_clients_cannot_make_a_scheduled_run_fail() {
    let (org, port) = org(
        30,
        "header_timeout_seconds = 60",
        "cron = \"*/2 * * * * *\"",
    )
    .await;
    let mut daemon = Running::start(&org, "ulimit -n 160 &&");
    poll(port, "/healthz", Duration::from_secs(20), |c, _| c == 200).await;
    let start = Instant::now();
    while org.emulator.model_users().len() < 30 {
        assert!(start.elapsed() < Duration::from_secs(20), "no startup run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // 300 clients that send the start of a request and then nothing: the cap (lowered from 64
    // to 160 - 128 = 32) holds 32 of them for the 60 s header timeout, the rest are closed.
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let _ = c.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ").await;
        slow.push(c);
    }
    org.write_hr(&roster(35));
    let written = Instant::now();
    while org.emulator.model_users().len() < 35 {
        assert!(
            written.elapsed() < Duration::from_secs(20),
            "the scheduled run did not create the 5 hires while slow clients held connections: {}",
            daemon.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let synced = written.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await; // more cron runs under the flood
    assert!(daemon.is_running());
    drop(slow);

    let (_, metrics) = poll(port, "/metrics", Duration::from_secs(10), |c, _| c == 200).await;
    let value = |name: &str| {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("{name} missing in\n{metrics}"))
    };
    let refused = value("hrsync_http_connections_refused_total");
    println!(
        "ulimit -n 160, 300 slow clients: cap {}, {refused} refused, 5 hires synced {synced:?} after the HR change",
        value("hrsync_http_max_connections")
    );
    assert_eq!(value("hrsync_http_max_connections"), 32.0);
    assert!(refused >= 268.0, "{refused}");
    let (code, _) = daemon.stop().await;
    assert_eq!(code, Some(0));

    let stderr = std::fs::read_to_string(org.dir.path().join("daemon.stderr")).unwrap();
    assert!(
        stderr.contains("lowered [server] max_connections from 64 to 32"),
        "{stderr}"
    );
    assert!(!stderr.contains("Too many open files"), "{stderr}");
    let journal = Journal::open_read_only(&org.journal_path()).unwrap();
    let runs = journal.runs(1000).unwrap();
    assert!(runs.len() >= 3, "{runs:?}");
    for run in &runs {
        assert!(
            matches!(
                run.status,
                RunState::Finished(RunStatus::Applied | RunStatus::NoChanges)
            ),
            "every run succeeded: {:?}",
            run.status
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_started_with_a_rejected_token_stays_up_with_readyz_503_and_syncs_once_the_token_is_accepted()
 {
    let (org, port) = org(3, "", "cron = \"0 0 0 1 1 *\"\nmax_backoff_seconds = 2").await;
    std::fs::write(org.dir.path().join("okta-token"), REJECTED).unwrap();
    let mut daemon = Running::start(&org, "");
    let started = Instant::now();
    let (_, body) = poll(port, "/readyz", Duration::from_secs(20), |c, b| {
        c == 503 && b.contains("\"startup_check_failures\":3")
    })
    .await;
    let waited = started.elapsed();
    assert!(
        daemon.is_running(),
        "a rejected token does not stop the daemon"
    );
    assert_eq!(get(port, "/healthz").await.map(|a| a.0), Some(200));
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    let reason = health["waiting_for"].as_str().unwrap();
    assert!(reason.starts_with("startup check failed: "), "{reason}");
    assert!(reason.contains("401"), "{reason}");
    assert!(!body.contains(REJECTED), "{body}");
    assert!(
        org.emulator.model_users().is_empty(),
        "nothing runs while waiting"
    );

    org.emulator.update_config(|c| {
        c.tokens.push(ApiToken {
            token: REJECTED.to_owned(),
            ..ApiToken::default()
        });
    });
    let accepted = Instant::now();
    poll(port, "/readyz", Duration::from_secs(10), |c, _| c == 200).await;
    let ready_after = accepted.elapsed();
    let start = Instant::now();
    while org.emulator.model_users().len() < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no startup run after the check"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, metrics) = poll(port, "/metrics", Duration::from_secs(5), |c, _| c == 200).await;
    println!(
        "rejected token: 3 failed checks after {waited:?} ({reason}); ready {ready_after:?} after the token was accepted"
    );
    assert!(
        metrics.lines().any(|l| l
            .strip_prefix("hrsync_startup_check_failures_total ")
            .and_then(|v| v.parse::<f64>().ok())
            .is_some_and(|n| n >= 3.0)),
        "{metrics}"
    );
    assert!(
        metrics.contains("\nhrsync_startup_check_waiting 0\n"),
        "{metrics}"
    );
    let (code, _) = daemon.stop().await;
    assert_eq!(code, Some(0));
    let stderr = std::fs::read_to_string(org.dir.path().join("daemon.stderr")).unwrap();
    assert!(stderr.contains("startup check failed"), "{stderr}");
    assert!(!stderr.contains(REJECTED), "the token is never logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_a_rejected_token_keeps_the_daemon_waiting_exits_zero_at_once() {
    let (org, port) = org(3, "", "cron = \"0 0 0 1 1 *\"").await;
    std::fs::write(org.dir.path().join("okta-token"), REJECTED).unwrap();
    let daemon = Running::start(&org, "");
    poll(port, "/readyz", Duration::from_secs(20), |c, b| {
        c == 503 && b.contains("\"startup_check_failures\":2")
    })
    .await;
    let (code, took) = daemon.stop().await;
    println!("SIGTERM while waiting for the startup check: exit {code:?} after {took:?}");
    assert_eq!(code, Some(0), "a clean stop: systemd does not restart it");
    assert!(took < Duration::from_secs(2), "{took:?}");
}
