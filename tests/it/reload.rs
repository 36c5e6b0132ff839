//! `systemctl reload` on a running `hrsync run` (issue 22): SIGHUP applies a new `[schedule]`
//! and a new `[server] listen` between runs, and the service manager hears `RELOADING=1` with
//! `MONOTONIC_USEC=` then `READY=1` on its notify socket (a real Unix datagram socket here).

use crate::support::{Fixture, free_port, three_employees};
use hrsync::emulator::EmulatorConfig;
use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

fn config_tail(cron: &str, port: u16) -> String {
    format!("\n[schedule]\ncron = \"{cron}\"\n\n[server]\nlisten = \"127.0.0.1:{port}\"\n")
}

async fn readyz(port: u16) -> Option<serde_json::Value> {
    let resp = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .ok()?;
    resp.json().await.ok()
}

/// Every datagram on `socket` until `done` holds for the messages so far (30 s at most).
fn notices_until(socket: &UnixDatagram, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut buf = vec![0u8; 4096];
    while !done(&seen) {
        assert!(Instant::now() < deadline, "notices so far: {seen:?}");
        if let Ok(n) = socket.recv(&mut buf) {
            seen.push(String::from_utf8_lossy(&buf[..n]).trim_end().to_owned());
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sighup_moves_the_endpoint_recomputes_the_schedule_and_tells_systemd_reloading_then_ready()
 {
    let (a, b) = (free_port(), free_port());
    let fx = Fixture::start_with(
        &three_employees(),
        EmulatorConfig::with_token("reload-test-token"),
        &config_tail("0 0 0 1 1 *", a),
    )
    .await;
    let config = fx.dir.path().join("hrsync.toml");
    let socket_path = fx.dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hrsync"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("NOTIFY_SOCKET", &socket_path)
        .env_remove("WATCHDOG_USEC")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The first run is done once its summary is the status.
    let started = notices_until(&socket, |seen| {
        seen.iter().any(|n| n.starts_with("STATUS=run "))
    });
    assert!(started.iter().any(|n| n == "READY=1"), "{started:?}");
    let before = readyz(a).await.expect("the first address answers");
    assert!(
        before["next_run"]
            .as_str()
            .unwrap()
            .ends_with("-01-01T00:00:00Z"),
        "{before}"
    );

    // Every minute, on another port.
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(
        &config_tail("0 0 0 1 1 *", a),
        &config_tail("0 * * * * *", b),
    );
    std::fs::write(&config, text).unwrap();
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let notices = notices_until(&socket, |seen| {
        seen.iter()
            .position(|n| n.starts_with("RELOADING=1"))
            .is_some_and(|i| seen[i..].iter().any(|n| n == "READY=1"))
    });
    let reloading = notices
        .iter()
        .find(|n| n.starts_with("RELOADING=1"))
        .unwrap();
    assert!(reloading.contains("\nMONOTONIC_USEC="), "{reloading:?}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let after = loop {
        if let Some(body) = readyz(b).await {
            break body;
        }
        assert!(Instant::now() < deadline, "the new address never answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(readyz(a).await.is_none(), "the old address is let go");
    let next: chrono::DateTime<chrono::Utc> = after["next_run"].as_str().unwrap().parse().unwrap();
    assert!(
        next - chrono::Utc::now() <= chrono::Duration::seconds(61),
        "the next run is within a minute: {after}"
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "no exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
