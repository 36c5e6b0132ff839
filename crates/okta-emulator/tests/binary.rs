//! The `okta-emulator` binary: it prints its address first, serves the API, loads a seed
//! file and refuses bad flags.

use serde_json::{Value, json};

#[tokio::test]
async fn the_binary_prints_its_address_first_and_serves_the_api() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_okta-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--token",
            "bin-token",
            "--rate-limit-per-minute",
            "100",
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    let base = first.strip_prefix("listening on ").unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    let r = reqwest::Client::new()
        .get(format!("{base}/api/v1/users?limit=2"))
        .header("Authorization", "SSWS bin-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-rate-limit-limit"], "50");
    assert!(
        r.headers()["link"]
            .to_str()
            .unwrap()
            .contains("rel=\"self\"")
    );
    child.kill().await.unwrap();
}

#[tokio::test]
async fn the_binary_loads_a_seed_file_and_refuses_bad_flags() {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("users.json");
    std::fs::write(
        &seed,
        json!([
            {"status": "ACTIVE", "profile": {"login": "a@example.com"}},
            {"status": "DEPROVISIONED", "profile": {"login": "d@example.com"}}
        ])
        .to_string(),
    )
    .unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_okta-emulator"))
        .args(["--listen", "127.0.0.1:0", "--token", "t", "--seed"])
        .arg(&seed)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    let base = first.strip_prefix("listening on ").unwrap().to_owned();
    let users: Vec<Value> = reqwest::Client::new()
        .get(format!("{base}/__emulator/users"))
        .header("Authorization", "SSWS t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    child.kill().await.unwrap();

    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_okta-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--token",
            "t",
            "--error-rate",
            "2",
        ])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--error-rate"));
}
