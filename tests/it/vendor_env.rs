//! End-to-end fixture for a shipped vendor configuration (`config/hrsync.<vendor>.toml`):
//! the file itself, rewritten only where it must point at the test servers (the Okta emulator
//! and the vendor fake on 127.0.0.1, secrets as files, a journal in a temp dir, no HTTP
//! listener), run through the real `hrsync` binary.

use crate::reliability::org::{Org, text};
use hrsync::emulator::{EmulatorConfig, EmulatorHandle};
use hrsync::model::OktaUser;
use serde_json::Value;
use std::process::Output;

use crate::support::ModelUsers;

/// Replaces `from`, which must occur exactly once in the shipped file: if the file changes
/// shape, the test fails here instead of quietly testing another configuration.
pub fn swap(text: String, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the shipped config no longer has {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// The shipped config and the Okta emulator, in a temp dir.
pub struct ShippedEnv {
    /// The emulator and the temp dir.
    pub org: Org,
}

impl ShippedEnv {
    /// Writes `secrets` (name, value) as files, rewrites the shipped file at `shipped`:
    /// the Okta URL, each `{ credential = "x" }` named in `credentials` (credential → file),
    /// the `swaps`, no listener, a journal; it must load.
    pub async fn start(
        shipped: &str,
        swaps: &[(&str, String)],
        secrets: &[(&str, &str)],
        credentials: &[(&str, &str)],
    ) -> ShippedEnv {
        let org = Org::start("unused\n", EmulatorConfig::default()).await;
        for (name, value) in secrets {
            std::fs::write(org.dir.path().join(name), value).unwrap();
        }
        let mut toml = std::fs::read_to_string(shipped).unwrap();
        toml = swap(
            toml,
            "org_url = \"https://example.okta.com\"",
            &format!("org_url = \"{}\"", org.emulator.base_url()),
        );
        for (from, to) in swaps {
            toml = swap(toml, from, to);
        }
        for (credential, file) in credentials {
            toml = swap(
                toml,
                &format!("{{ credential = \"{credential}\" }}"),
                &format!("{{ file = \"{file}\" }}"),
            );
        }
        toml = swap(toml, "listen = \"127.0.0.1:9184\"", "listen = \"off\"");
        assert!(
            !toml.contains("[journal]"),
            "the shipped file sets no journal"
        );
        toml.push_str("\n[journal]\npath = \"journal.db\"\n");
        std::fs::write(org.config_path(), toml).unwrap();
        org.config();
        ShippedEnv { org }
    }

    /// The Okta emulator.
    pub fn okta(&self) -> &EmulatorHandle {
        &self.org.emulator
    }

    /// Runs the binary with these arguments (no systemd credentials).
    pub async fn hrsync(&self, args: &[&str]) -> Output {
        let mut cmd = self.org.command(args);
        cmd.env_remove("CREDENTIALS_DIRECTORY");
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }

    /// `hrsync sync --format json`, which must exit 0; its document.
    pub async fn sync_json(&self) -> Value {
        let out = self.hrsync(&["sync", "--format", "json"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
    }

    /// The one Okta user whose `employeeNumber` is `id`.
    pub fn user_of(&self, id: &str) -> OktaUser {
        let users: Vec<OktaUser> = self
            .okta()
            .model_users()
            .into_iter()
            .filter(|u| u.attr("employeeNumber") == Some(id))
            .collect();
        assert_eq!(users.len(), 1, "one Okta user for {id}: {users:?}");
        users.into_iter().next().unwrap()
    }

    /// How many Okta users carry an `employeeNumber`.
    pub fn user_count(&self) -> usize {
        self.okta().model_users().len()
    }
}
