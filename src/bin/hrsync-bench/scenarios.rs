//! The four scenarios of issue 9 and the three of issue 21 (incremental runs, the full pass
//! with a cache), returning [`Figures`]. An end-to-end scenario sets up its
//! org in this process (the emulator, the generated HR file, the seeded Okta users) and runs
//! hrsync's `run_once` in a fresh child process ([`measured`]), so the run's CPU time and
//! peak RSS are hrsync's own; the planner scenario has no I/O and runs here. Run one scenario
//! per process.

use super::figures::{Figures, Minimum};
use super::generate::{self, FIRST_ID, Kind, Person, Rng};
use super::measured;
use super::org::{self, Limits, Org};
use super::procfs;
use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hrsync::plan::plan;
use std::time::Instant;

/// Seed of every generated org.
pub const SEED: u64 = 0x00C0_FFEE;
/// The reference date of the data.
const TODAY: (i32, u32, u32) = (2026, 12, 1);
/// The instant every run plans at.
const NOW: &str = "2026-12-01T12:00:00Z";
/// The emulated window (Okta: one minute).
const WINDOW_S: f64 = 60.0;

/// The scenarios, by the name `--scenario` takes.
pub const NAMES: [&str; 9] = [
    "steady-10k",
    "steady-100k",
    "initial-10k",
    "churn-10k",
    "planner-100k",
    "steady-100k-incremental",
    "churn-10k-incremental",
    "full-pass-100k",
    "console-100k",
];

/// A diagnostic, not part of the default set: the initial load with hrsync's
/// `rate_limit_share = 1.0`, to show what the pacer does when it does not apply the share a
/// second time to a `X-Rate-Limit-Limit` that already carries it (see `BENCHMARKS.md`).
pub const DIAGNOSTIC: &str = "initial-10k-client-share-half";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap_or_default()
}

pub fn now() -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(NOW)?.with_timezone(&Utc))
}

/// The org limits of every end-to-end scenario: 20,000 requests a minute per bucket, hrsync
/// at Okta's default 50 % share and hrsync's default `rate_limit_share` (all of that), 20 ± 10 ms
/// latency, 8 requests in flight.
pub fn limits() -> Limits {
    Limits {
        per_minute: 20_000,
        share: 0.5,
        client_share: 1.0,
        latency_ms: 10,
        jitter_ms: 20,
        concurrency: 8,
    }
}

/// Runs scenario `name` once.
pub async fn run(name: &str) -> anyhow::Result<Figures> {
    match name {
        "steady-10k" => steady(10_000).await,
        "steady-100k" => steady(100_000).await,
        "initial-10k" => initial(10_000, limits()).await,
        DIAGNOSTIC => {
            let mut f = initial(
                10_000,
                Limits {
                    client_share: 0.5,
                    ..limits()
                },
            )
            .await?;
            f.scenario = DIAGNOSTIC.to_owned();
            Ok(f)
        }
        "churn-10k" => churn(10_000).await,
        "steady-100k-incremental" => steady_incremental(100_000).await,
        "churn-10k-incremental" => churn_incremental(10_000).await,
        "full-pass-100k" => full_pass(100_000).await,
        "planner-100k" => planner(100_000, 5).await,
        "console-100k" => super::console::run(100_000).await,
        other => anyhow::bail!("no scenario {other:?}; known: {}", NAMES.join(", ")),
    }
}

/// Scenario 1: nothing changed in HR since the last sync: zero writes.
async fn steady(n: usize) -> anyhow::Result<Figures> {
    let people = generate::people(n, SEED, today());
    let org = Org::start("steady", &limits(), &generate::csv(&people)).await?;
    let seed = org::synced_users(&org, &people, now()?).await?;
    let (live, deprovisioned) = org::live_and_deprovisioned(&seed);
    org.emulator.seed(seed);
    let minimum = Minimum::of(live, deprovisioned, 0, 0, 0);
    measure(
        &format!("steady-{}k", n / 1000),
        &org,
        people.len(),
        minimum,
    )
    .await
}

/// Scenario 2: an empty org and `live` employees to create (plus the HR file's leavers and
/// contractors, who are not created).
async fn initial(live: usize, limits: Limits) -> anyhow::Result<Figures> {
    let mut rng = Rng::new(SEED);
    let mut people = Vec::new();
    let mut count = 0;
    while count < live {
        let p = generate::person(&mut rng, people.len() as u64, today());
        if p.kind.is_live() {
            count += 1;
        }
        people.push(p);
    }
    let org = Org::start("initial", &limits, &generate::csv(&people)).await?;
    let minimum = Minimum::of(0, 0, live as u64, 0, 0);
    measure(
        &format!("initial-{}k", live / 1000),
        &org,
        people.len(),
        minimum,
    )
    .await
}

/// The HR changes of a day: 1 % updates (title or department), 0.2 % hires, 0.2 % leavers.
/// Changed people are distinct, already started, and leavers manage nobody.
pub struct Churn {
    /// The new HR file.
    pub people: Vec<Person>,
    /// Profile updates expected.
    pub updates: u64,
    /// Creates expected.
    pub hires: u64,
    /// Deactivations expected.
    pub leavers: u64,
}

/// Applies a day of churn to `base`.
pub fn churn_of(base: &[Person], seed: u64) -> Churn {
    let n = base.len();
    let (updates, hires, leavers) = (n / 100, n / 500, n / 500);
    let mut people = base.to_vec();
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut touched = std::collections::HashSet::new();
    // Leaf employees (no reports): index i has reports 8i+1..=8i+8.
    let is_leaf = |i: usize| 8 * i + 1 >= n;
    let mut pick = |rng: &mut Rng, leaf_only: bool| loop {
        let i = usize::try_from(rng.below(n as u64)).unwrap_or(0);
        if people_kind(base, i) == Some(Kind::Started)
            && (!leaf_only || is_leaf(i))
            && touched.insert(i)
        {
            return i;
        }
    };
    for k in 0..updates {
        let i = pick(&mut rng, false);
        let p = &mut people[i];
        if k % 2 == 0 {
            p.title = format!("Senior {}", p.title);
        } else {
            p.department = format!("{} Ops", p.department);
        }
    }
    for _ in 0..leavers {
        let i = pick(&mut rng, true);
        let p = &mut people[i];
        p.status = "Terminated";
        p.termination = Some(today() - Duration::days(1));
    }
    for k in 0..hires {
        let mut p = generate::person(&mut rng, (n + k) as u64, today());
        p.kind = Kind::Started;
        p.status = "Active";
        p.start = today() - Duration::days(1 + (k as i64 % 10));
        p.termination = None;
        if p.department == "Contractors" {
            p.department = "Engineering".to_owned();
        }
        p.manager = Some(FIRST_ID + (k as u64 % 100));
        people.push(p);
    }
    Churn {
        people,
        updates: updates as u64,
        hires: hires as u64,
        leavers: leavers as u64,
    }
}

fn people_kind(people: &[Person], i: usize) -> Option<Kind> {
    people.get(i).map(|p| p.kind)
}

/// Scenario 3: a synced org, then a day of HR churn.
async fn churn(n: usize) -> anyhow::Result<Figures> {
    let base = generate::people(n, SEED, today());
    let org = Org::start("churn", &limits(), &generate::csv(&base)).await?;
    let seed = org::synced_users(&org, &base, now()?).await?;
    let (live, deprovisioned) = org::live_and_deprovisioned(&seed);
    org.emulator.seed(seed);
    let day = churn_of(&base, SEED);
    org.write_csv(&generate::csv(&day.people))?;
    let minimum = Minimum::of(live, deprovisioned, day.hires, day.leavers, day.updates);
    measure(
        &format!("churn-{}k", n / 1000),
        &org,
        day.people.len(),
        minimum,
    )
    .await
}

/// A synced org of `n` whose journal already holds the Okta cache: one unmeasured run (a
/// full pass over the seeded org, nothing to change) before the measured one.
async fn synced_with_cache(tag: &str, n: usize) -> anyhow::Result<(Vec<Person>, Org, u64, u64)> {
    let people = generate::people(n, SEED, today());
    let org = Org::start(tag, &limits(), &generate::csv(&people)).await?;
    let seed = org::synced_users(&org, &people, now()?).await?;
    let (live, deprovisioned) = org::live_and_deprovisioned(&seed);
    org.emulator.seed(seed);
    measured::spawn(&org.scratch.0, now()?, false)
        .await
        .context("the unmeasured run that fills the cache")?;
    Ok((people, org, live, deprovisioned))
}

/// Scenario 5: steady state at `n` with a cache: an incremental run, nothing changed.
async fn steady_incremental(n: usize) -> anyhow::Result<Figures> {
    let (people, org, _, _) = synced_with_cache("steady-incremental", n).await?;
    let minimum = Minimum::incremental(0, 0, 0, 0);
    measure_with(
        &format!("steady-{}k-incremental", n / 1000),
        &org,
        people.len(),
        minimum,
        false,
    )
    .await
}

/// Scenario 6: a day of churn on a synced org of `n` with a cache: an incremental run.
async fn churn_incremental(n: usize) -> anyhow::Result<Figures> {
    let (base, org, _, _) = synced_with_cache("churn-incremental", n).await?;
    let day = churn_of(&base, SEED);
    org.write_csv(&generate::csv(&day.people))?;
    let minimum = Minimum::incremental(0, day.hires, day.leavers, day.updates);
    measure_with(
        &format!("churn-{}k-incremental", n / 1000),
        &org,
        day.people.len(),
        minimum,
        false,
    )
    .await
}

/// Scenario 7: the periodic full pass at `n` (a cache from the last one: the listing is split
/// by `lastUpdated` and read side by side), nothing changed.
async fn full_pass(n: usize) -> anyhow::Result<Figures> {
    let (people, org, live, deprovisioned) = synced_with_cache("full-pass", n).await?;
    // Split listings include DEPROVISIONED users: one listing of every status, 200 a page.
    let minimum = Minimum::split(live + deprovisioned, 8);
    measure_with(
        &format!("full-pass-{}k", n / 1000),
        &org,
        people.len(),
        minimum,
        true,
    )
    .await
}

/// One measured `run_once` against `org`, in a fresh hrsync process (see [`measured`]); the
/// emulator's own counts (writes, 429s) are read here, where it runs.
async fn measure(
    name: &str,
    org: &Org,
    employees: usize,
    minimum: Minimum,
) -> anyhow::Result<Figures> {
    measure_with(name, org, employees, minimum, false).await
}

/// [`measure`], the measured run a full pass when `full`.
async fn measure_with(
    name: &str,
    org: &Org,
    employees: usize,
    minimum: Minimum,
    full: bool,
) -> anyhow::Result<Figures> {
    let okta_users = org.emulator.users().len() as u64;
    org.emulator.reset_stats();
    let run = measured::spawn(&org.scratch.0, now()?, full)
        .await
        .with_context(|| format!("scenario {name}"))?;
    let stats = org.emulator.stats();
    // The org's own limits: the half-share diagnostic's bound is at its configured share.
    let limits = org.limits;
    // Okta floors the share; truncation intended.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // The allowed rate is the token's share of the bucket (Okta's) times hrsync's
    // `rate_limit_share` of it (the configured share).
    let per_window = (f64::from(limits.per_minute) * limits.share).floor() as u32;
    let per_window = (f64::from(per_window) * limits.client_share).floor() as u32;
    Ok(Figures {
        scenario: name.to_owned(),
        employees: employees as u64,
        okta_users,
        requests: run.requests,
        total: run.total,
        writes: stats.writes(),
        minimum: minimum.total(),
        rate_limited: run.rate_limited.max(stats.rate_limited),
        wall_s: run.wall_s,
        bound_s: minimum.bound_s(per_window, WINDOW_S),
        cpu_s: run.cpu_s,
        peak_rss_mib: mib(run.peak_rss),
        peak_is_of_run: true,
        rss_before_mib: mib(run.rss_before),
        plan_ms: Vec::new(),
        plan: run.plan,
        hr_read_s: run.hr_read_s,
        pages_ms: Default::default(),
    })
}

/// Scenario 4: the planner alone, `n` employees (a day of churn applied) against the synced
/// org's users, `repeat` times.
async fn planner(n: usize, repeat: usize) -> anyhow::Result<Figures> {
    let base = generate::people(n, SEED, today());
    let org = Org::start("planner", &limits(), &generate::csv(&base)).await?;
    let seed = org::synced_users(&org, &base, now()?).await?;
    let users = org::as_models(&seed)?;
    drop(seed);
    let day = churn_of(&base, SEED);
    org.write_csv(&generate::csv(&day.people))?;
    let snapshot = org.snapshot().await?;
    let policy = org.config.policy();
    let now = now()?;
    let rss_before = procfs::rss().unwrap_or(0);
    let peak_reset = procfs::reset_peak_rss();
    let cpu_before = procfs::cpu_time().unwrap_or_default();
    let mut times = Vec::with_capacity(repeat);
    let mut counts = String::new();
    for _ in 0..repeat {
        let started = Instant::now();
        let p = plan(&snapshot, &users, &policy, now);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        counts = format!("{} actions: {}", p.actions.len(), p.counts());
    }
    let cpu = procfs::cpu_time()
        .unwrap_or_default()
        .saturating_sub(cpu_before);
    Ok(Figures {
        scenario: format!("planner-{}k", n / 1000),
        employees: snapshot.employees.len() as u64,
        okta_users: users.len() as u64,
        cpu_s: cpu.as_secs_f64() / repeat.max(1) as f64,
        peak_rss_mib: mib(procfs::peak_rss().unwrap_or(0)),
        peak_is_of_run: peak_reset,
        rss_before_mib: mib(rss_before),
        wall_s: super::figures::median(&times) / 1000.0,
        plan_ms: times,
        plan: counts,
        ..Figures::default()
    })
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[cfg(test)]
mod tests;
