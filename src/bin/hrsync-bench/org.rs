//! Assembles one benchmark org: a scratch folder with `hrsync.toml`, the employee CSV and the
//! token file (the measured hrsync process loads them and creates its journal there); an
//! in-process Okta emulator with the scenario's rate limits and latency; and, for scenarios
//! that start from a synced org, the Okta users seeded straight into the emulator (their
//! profiles are what the planner itself would create, so a correct planner finds nothing to
//! do). Seeding is not counted as Okta requests.

use super::generate::{Kind, Person};
use anyhow::Context;
use chrono::{DateTime, Utc};
use hrsync::config::Config;
use hrsync::emulator::{Emulator, EmulatorConfig, EmulatorHandle, Faults, RateLimits};
use hrsync::model::{OktaUser, UserStatus};
use hrsync::plan::{Action, plan};
use hrsync::source::{AnySource, HrSource, Snapshot};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;

/// The token the in-process emulator accepts. It reaches the measured hrsync process only
/// through the scratch folder's token file, never its command line.
const TOKEN: &str = "bench-token-for-the-in-process-emulator";

/// The org's rate limit and latency for one scenario.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Every bucket's org limit per 60 s window.
    pub per_minute: u32,
    /// The token's share of each bucket that the emulator enforces and reports in
    /// `X-Rate-Limit-Limit` (Okta's default: 50 %).
    pub share: f64,
    /// hrsync's `rate_limit_share` (normally the same as `share`).
    pub client_share: f64,
    /// Fixed latency of every response, ms.
    pub latency_ms: u64,
    /// Extra random latency `0..=jitter_ms`, ms.
    pub jitter_ms: u64,
    /// hrsync's `max_concurrent_requests`.
    pub concurrency: usize,
}

/// A scratch folder removed on drop.
#[derive(Debug)]
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh folder under the temp dir, named after the process and a tag.
    pub fn new(tag: &str) -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("hrsync-bench-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running benchmark org.
pub struct Org {
    /// The emulator (in process).
    pub emulator: EmulatorHandle,
    /// The loaded config.
    pub config: Config,
    /// The rate limits and latency the org was started with.
    pub limits: Limits,
    /// Holds the files; removed on drop.
    pub scratch: Scratch,
}

fn toml(url: &str, limits: &Limits) -> String {
    format!(
        r#"[okta]
org_url = "{url}"
token = {{ file = "okta-token" }}
max_concurrent_requests = {concurrency}
rate_limit_share = {share}
request_timeout_seconds = 30

[source]
type = "file"
path = "employees.csv"

[employee]
id = "id"
status = {{ field = "status", active = ["Active"] }}
start_date = "start_date"
termination_date = "termination_date"
timezone = {{ field = "site_timezone", default = "Europe/London" }}
manager = "manager_id"
scope = "department != 'Contractors'"

[mapping]
login = "{{email|lower}}"
email = "{{email|lower}}"
firstName = "{{first_name}}"
lastName = "{{last_name}}"
displayName = "{{first_name}} {{last_name}}"
title = "{{title}}"
department = "{{department}}"
manager = "{{manager.email}}"
managerId = "{{manager.okta_id}}"

[activation]
mode = "start_date"
create = "on_record"
activate_at = "09:00"

[termination]
action = "deactivate"
at = "termination_date"

[journal]
path = "journal.db"
"#,
        concurrency = limits.concurrency,
        share = limits.client_share,
    )
}

impl Org {
    /// Starts an emulator with `limits` and writes the config and `csv`.
    pub async fn start(tag: &str, limits: &Limits, csv: &str) -> anyhow::Result<Self> {
        let faults = Faults {
            latency_ms: limits.latency_ms,
            jitter_ms: limits.jitter_ms,
            ..Faults::default()
        };
        let emulator = Emulator::start(
            EmulatorConfig::with_token(TOKEN)
                .limits(RateLimits::uniform(limits.per_minute))
                .share(limits.share)
                .faults(faults),
        )
        .await
        .context("starting the Okta emulator")?;
        let scratch = Scratch::new(tag)?;
        let dir = &scratch.0;
        std::fs::write(dir.join("okta-token"), TOKEN)?;
        std::fs::write(dir.join("employees.csv"), csv)?;
        let path = dir.join(super::measured::CONFIG);
        std::fs::write(&path, toml(&emulator.base_url(), limits))?;
        let config = Config::load(&path).map_err(|e| anyhow::anyhow!("bench config: {e}"))?;
        Ok(Self {
            emulator,
            config,
            limits: *limits,
            scratch,
        })
    }

    /// Replaces the employee CSV.
    pub fn write_csv(&self, csv: &str) -> anyhow::Result<()> {
        Ok(std::fs::write(self.scratch.0.join("employees.csv"), csv)?)
    }

    /// Reads the current CSV through the configured source.
    pub async fn snapshot(&self) -> anyhow::Result<Snapshot> {
        let source = AnySource::from_config(&self.config.source, &self.config.employee)?;
        Ok(source.fetch().await?)
    }
}

/// The Okta users of an org that hrsync has already synced for `people` at `now`: every
/// in-scope employee who ever started gets the profile the planner would create, ACTIVE or
/// STAGED as planned, and past leavers are DEPROVISIONED. Built by planning `people` (with
/// past leavers still employed) against an empty org, so it uses the real mapping code.
pub async fn synced_users(
    org: &Org,
    people: &[Person],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Value>> {
    let employed: Vec<Person> = people
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if p.kind == Kind::PastLeaver {
                p.status = "Active";
                p.termination = None;
            }
            p
        })
        .collect();
    org.write_csv(&super::generate::csv(&employed))?;
    let snapshot = org.snapshot().await?;
    org.write_csv(&super::generate::csv(people))?;
    let policy = org.config.policy();
    let kinds: HashMap<String, Kind> = people.iter().map(|p| (p.id.to_string(), p.kind)).collect();
    let planned = plan(&snapshot, &[], &policy, now);
    let mut users = Vec::with_capacity(planned.actions.len());
    // The ids given so far, for the creates' references to a manager created before them.
    let mut ids: HashMap<String, String> = HashMap::new();
    for (n, a) in planned.actions.iter().enumerate() {
        let Action::Create { profile, activate } = &a.action else {
            continue;
        };
        let id = format!("00ubench{n:012}");
        let mut profile = profile.clone();
        for (attribute, reference) in &a.fills {
            if let Some(manager) = ids.get(reference.created_for.as_str()) {
                profile.insert(attribute.clone(), json!(reference.value(manager)));
            }
        }
        if let Some(e) = &a.employee_id {
            ids.insert(e.as_str().to_owned(), id.clone());
        }
        let kind = a
            .employee_id
            .as_ref()
            .and_then(|id| kinds.get(id.as_str()).copied());
        let status = match (kind, activate) {
            (Some(Kind::PastLeaver), _) => UserStatus::Deprovisioned,
            (_, true) => UserStatus::Active,
            (_, false) => UserStatus::Staged,
        };
        // As in a real org, users were last changed at different times (a full pass splits
        // its listing by `lastUpdated`): one a minute from 2020 on.
        let minutes = i64::try_from(n).unwrap_or(0);
        let last_updated = (epoch() + chrono::Duration::minutes(minutes))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        users.push(json!({
            "id": id,
            "status": status.as_str(),
            "created": "2020-01-01T00:00:00.000Z",
            "lastUpdated": last_updated,
            "profile": profile,
        }));
    }
    Ok(users)
}

/// When the seeded users were created (2020-01-01T00:00Z).
fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_577_836_800, 0).unwrap_or_default()
}

/// The seed entries as the crate's model (for the planner-only scenario).
pub fn as_models(seed: &[Value]) -> anyhow::Result<Vec<OktaUser>> {
    seed.iter()
        .map(|v| serde_json::from_value(v.clone()).context("a seeded user"))
        .collect()
}

/// Counts seeded users that a plain listing returns (not DEPROVISIONED) and those only the
/// DEPROVISIONED pass returns.
pub fn live_and_deprovisioned(seed: &[Value]) -> (u64, u64) {
    let deprovisioned = seed
        .iter()
        .filter(|v| v.get("status").and_then(Value::as_str) == Some("DEPROVISIONED"))
        .count() as u64;
    (seed.len() as u64 - deprovisioned, deprovisioned)
}
