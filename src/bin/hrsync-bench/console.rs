//! Scenario `console-100k`: the web console's pages at 100,000 employees. Builds the org's
//! users (synced), a day of churn, a journal file holding the initial load (one create per
//! employee, applied) and the churn run's actions, and the console's digest of that run; then
//! asks the console's router (the handlers, the journal reads on the blocking pool, the HTML)
//! for each page `REPEAT` times and reports the median time per page.

use super::figures::Figures;
use super::generate;
use super::org::{self, Org};
use super::procfs;
use super::scenarios::{SEED, churn_of, limits, now, today};
use axum::body::Body;
use axum::http::Request;
use hrsync::apply::Outcome;
use hrsync::config::{Secret, ServerConfig};
use hrsync::console::{Console, Latest, Shared};
use hrsync::journal::{Journal, RunEnd, RunMode, RunStart, RunStatus};
use hrsync::plan::plan;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

/// Requests of each page.
const REPEAT: usize = 15;

/// The read token of the benchmark's console.
const TOKEN: &str = "bench-console-token";

/// Runs the scenario at `n` employees.
pub async fn run(n: usize) -> anyhow::Result<Figures> {
    let base = generate::people(n, SEED, today());
    let org = Org::start("console", &limits(), &generate::csv(&base)).await?;
    let seed = org::synced_users(&org, &base, now()?).await?;
    let users = Arc::new(org::as_models(&seed)?);
    drop(seed);
    let day = churn_of(&base, SEED);
    org.write_csv(&generate::csv(&day.people))?;
    let snapshot = Arc::new(org.snapshot().await?);
    let policy = org.config.policy();
    let now = now()?;

    let journal = Journal::open(&org.scratch.0.join("console-journal.db"))?;
    let initial = plan(&snapshot, &[], &policy, now);
    record(&journal, &initial.actions, now, "startup")?;
    let churn = plan(&snapshot, &users, &policy, now);
    let run_id = record(&journal, &churn.actions, now, "cron")?;
    let inputs = hrsync::sync::RunInputs {
        snapshot: Arc::clone(&snapshot),
        users: Arc::clone(&users),
        at: now,
        applied: None,
    };
    let digest_started = Instant::now();
    let latest = Latest::build(run_id, &inputs, churn.clone(), Arc::new(policy));
    let digest_ms = digest_started.elapsed().as_secs_f64() * 1000.0;
    let shared = Shared::default();
    shared.publish(latest);
    let server = ServerConfig {
        console: true,
        console_token: Some(Secret::new(TOKEN)),
        ..ServerConfig::default()
    };
    let health = Arc::new(hrsync::daemon::health::Health::default());
    let reader = Journal::open_read_only(&org.scratch.0.join("console-journal.db"))?;
    let app = Console::new(&server, journal, reader, shared, health)
        .ok_or_else(|| anyhow::anyhow!("the console is off"))?
        .routes();

    let someone = base.get(n / 2).map(|p| p.id).unwrap_or(0);
    let last_name = base.get(n / 3).map(|p| p.last).unwrap_or("a");
    // Each page, and a text its answer must hold (so a redirect or an empty page fails).
    let pages = [
        ("overview", "/console".to_owned(), "Last runs"),
        (
            "people search",
            format!("/console/people?q={}", last_name.to_lowercase()),
            "/console/people/",
        ),
        (
            "people search, no match (whole scan)",
            "/console/people?q=nobody-matches-this".to_owned(),
            "Nobody",
        ),
        ("person", format!("/console/people/{someone}"), "History"),
        (
            "upcoming 14 days",
            "/console/upcoming?days=14".to_owned(),
            "time-driven actions",
        ),
        (
            "upcoming 60 days",
            "/console/upcoming?days=60".to_owned(),
            "time-driven actions",
        ),
        (
            "initial-load run (94k actions), page 1",
            "/console/runs?run=1".to_owned(),
            "benchreq",
        ),
        (
            "initial-load run, kind+outcome filter past action 90,000",
            "/console/runs?run=1&kind=create&outcome=applied&after=90000".to_owned(),
            "benchreq",
        ),
        (
            "run, rare outcome",
            "/console/runs?run=1&outcome=failed".to_owned(),
            "No action",
        ),
    ];
    let mut pages_ms = BTreeMap::new();
    let cpu_before = procfs::cpu_time().unwrap_or_default();
    for (name, path, expected) in &pages {
        let mut times = Vec::with_capacity(REPEAT);
        for _ in 0..REPEAT {
            let started = Instant::now();
            let request = Request::get(path.as_str())
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::empty())?;
            let response = app.clone().oneshot(request).await?;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 64 << 20).await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(status.is_success(), "{path}: {status}");
            anyhow::ensure!(
                String::from_utf8_lossy(&body).contains(expected),
                "{path}: no {expected:?} in the page"
            );
        }
        pages_ms.insert((*name).to_owned(), times);
    }
    let cpu = procfs::cpu_time()
        .unwrap_or_default()
        .saturating_sub(cpu_before);
    let slowest = pages_ms
        .values()
        .map(|t| super::figures::median(t))
        .fold(0.0, f64::max);
    Ok(Figures {
        scenario: format!("console-{}k", n / 1000),
        employees: snapshot.employees.len() as u64,
        okta_users: users.len() as u64,
        cpu_s: cpu.as_secs_f64() / (REPEAT * pages.len()) as f64,
        peak_rss_mib: procfs::peak_rss().unwrap_or(0) as f64 / (1024.0 * 1024.0),
        wall_s: slowest / 1000.0,
        plan: format!(
            "digest (forecast + indexes) {digest_ms:.0} ms after the run; journal of {} + {} actions",
            initial.actions.len(),
            churn.actions.len()
        ),
        pages_ms,
        ..Figures::default()
    })
}

/// Records a finished run of `actions`, every one applied with a request id.
fn record(
    journal: &Journal,
    actions: &[hrsync::plan::PlannedAction],
    now: chrono::DateTime<chrono::Utc>,
    trigger: &str,
) -> anyhow::Result<hrsync::journal::RunId> {
    let run = journal.begin_run(&RunStart {
        started_at: now,
        mode: RunMode::Sync,
        trigger: trigger.to_owned(),
        snapshot_employees: actions.len(),
        snapshot_rejected: 0,
        epoch: None,
    })?;
    for (i, a) in actions.iter().enumerate() {
        let id = journal.record_intent(run, a)?;
        journal.record_outcome(
            id,
            &Outcome::Applied {
                okta_id: a.okta_id.clone(),
                request_id: Some(format!("benchreq{i:08}")),
            },
        )?;
    }
    journal.finish_run(
        run,
        &RunEnd {
            ended_at: now,
            status: RunStatus::Applied,
            counts: Default::default(),
            okta_requests: actions.len() as u64,
            error: None,
        },
    )?;
    Ok(run)
}
