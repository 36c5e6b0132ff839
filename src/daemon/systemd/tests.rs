use super::*;

#[tokio::test(start_paused = true)]
async fn the_watchdog_is_pinged_at_half_its_timeout() {
    let n = Arc::new(MemoryNotifier::with_watchdog(Some(Duration::from_secs(10))));
    let handle = spawn_watchdog(n.clone()).unwrap();
    // Pings at 0, 5, 10, 15 and 20 s.
    tokio::time::sleep(Duration::from_millis(20_500)).await;
    handle.abort();
    assert_eq!(n.notices(), vec![Notice::Watchdog; 5]);
}

#[test]
fn there_is_no_watchdog_task_without_a_watchdog_timeout() {
    assert!(spawn_watchdog(Arc::new(MemoryNotifier::default())).is_none());
}

#[test]
fn a_status_is_sent_as_one_line() {
    assert_eq!(one_line("a\nb\r\nc"), "a b  c");
}

/// Name of this test inside the library's test binary, which re-runs itself as a child.
const CHILD_TEST: &str = "daemon::systemd::tests::the_sd_notifier_writes_to_the_notify_socket";

#[test]
fn the_sd_notifier_writes_to_the_notify_socket() {
    if std::env::var_os("HRSYNC_SD_NOTIFY_CHILD").is_some() {
        // Child: the environment is systemd-like.
        assert_eq!(SdNotifier.watchdog_timeout(), Some(Duration::from_secs(4)));
        SdNotifier.notify(Notice::Ready);
        SdNotifier.notify(Notice::Status("3 created\n1 failed".into()));
        SdNotifier.notify(Notice::Stopping);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify.sock");
    let sock = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--test-threads=1"])
        .env("HRSYNC_SD_NOTIFY_CHILD", "1")
        .env("NOTIFY_SOCKET", &path)
        .env("WATCHDOG_USEC", "4000000")
        .env_remove("WATCHDOG_PID")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    for _ in 0..3 {
        let n = sock.recv(&mut buf).unwrap();
        got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert_eq!(
        got,
        ["READY=1\n", "STATUS=3 created 1 failed\n", "STOPPING=1\n"]
    );
}
