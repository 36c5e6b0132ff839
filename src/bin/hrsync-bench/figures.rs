//! The figures one scenario run reports, the physical minimum and rate-limit bound they are
//! judged against, and medians over runs. Plain data and arithmetic; no I/O.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Okta's page size for listings.
pub const PAGE: u64 = 200;

/// What one run of one scenario measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Scenario name.
    pub scenario: String,
    /// Employees in the HR snapshot.
    pub employees: u64,
    /// Okta users before the run (DEPROVISIONED included).
    pub okta_users: u64,
    /// Okta requests by endpoint class (every outcome), as the client counted them (in the
    /// measured hrsync process).
    pub requests: BTreeMap<String, u64>,
    /// Every Okta request, as the client counted them.
    pub total: u64,
    /// Write requests the emulator saw (non-GET under `/api/v1`).
    pub writes: u64,
    /// The physical minimum of requests for this scenario.
    pub minimum: u64,
    /// Requests answered 429: the larger of the client's and the emulator's count.
    pub rate_limited: u64,
    /// Wall time of `run_once` (end-to-end scenarios) or the median plan (planner), seconds.
    pub wall_s: f64,
    /// The rate-limit bound: the busiest bucket's minimum requests ÷ allowed rate, seconds.
    pub bound_s: f64,
    /// CPU time (user + system, all threads), seconds. End-to-end: of the measured hrsync
    /// process during `run_once` (neither the emulator nor the setup is in it). Planner: of the
    /// scenario process per plan.
    pub cpu_s: f64,
    /// Peak RSS (`VmHWM`), MiB. End-to-end: of the whole measured hrsync process, a fresh
    /// process that only loads the config, builds the run's dependencies and runs `run_once`
    /// once (no emulator, no setup data). Planner: of the scenario process since the reset
    /// just before the plans (the generated data and the planner's inputs included).
    pub peak_rss_mib: f64,
    /// True when [`Self::peak_rss_mib`] covers only the measured part: always for end-to-end
    /// scenarios (the measured process does nothing else); for the planner, when the kernel
    /// allowed the peak to be reset (else it covers the setup too).
    pub peak_is_of_run: bool,
    /// RSS just before the measured part, MiB. End-to-end: of the measured hrsync process just
    /// before `run_once` (config loaded, dependencies built). Planner: of the scenario process
    /// with the HR snapshot and Okta users loaded.
    pub rss_before_mib: f64,
    /// Planner timings (planner-only scenario), milliseconds.
    pub plan_ms: Vec<f64>,
    /// The plan's counts in words.
    pub plan: String,
    /// End-to-end: the time to read the HR file alone, seconds (the incremental scenarios'
    /// wall is judged against it).
    #[serde(default)]
    pub hr_read_s: f64,
    /// Console scenario: each page's server-side times (request to whole body), milliseconds.
    #[serde(default)]
    pub pages_ms: BTreeMap<String, Vec<f64>>,
}

impl Figures {
    /// Requests per minimum (1.00 is perfect).
    pub fn ratio(&self) -> f64 {
        if self.minimum == 0 {
            return if self.total == 0 { 1.0 } else { f64::INFINITY };
        }
        self.total as f64 / self.minimum as f64
    }

    /// Wall time per bound.
    pub fn wall_ratio(&self) -> f64 {
        if self.bound_s > 0.0 {
            self.wall_s / self.bound_s
        } else {
            f64::NAN
        }
    }
}

/// Pages a cursor listing of `users` needs (an empty listing is still one request).
pub fn pages(users: u64) -> u64 {
    users.div_ceil(PAGE).max(1)
}

/// The minimum requests of a run, per rate-limit bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Minimum {
    /// List pages, creates and lifecycle calls (one bucket in Okta).
    pub list_create: u64,
    /// Partial profile updates.
    pub update: u64,
    /// The user schema read every run starts with (its own bucket in Okta).
    pub schema: u64,
    /// Users read by id or login (an incremental run's check of each create's login).
    pub get: u64,
}

impl Minimum {
    /// A run over `live` listed users and `deprovisioned` ones making these changes.
    pub fn of(live: u64, deprovisioned: u64, creates: u64, lifecycle: u64, updates: u64) -> Self {
        Self {
            list_create: pages(live) + pages(deprovisioned) + creates + lifecycle,
            update: updates,
            schema: 1,
            get: 0,
        }
    }

    /// A full pass over `users` (every status) split into `listings` listings by
    /// `lastUpdated`, read side by side: each listing ends on a partial page.
    pub fn split(users: u64, listings: u64) -> Self {
        Self {
            list_create: pages(users).max(listings),
            update: 0,
            schema: 1,
            get: 0,
        }
    }

    /// An incremental run that lists `changed` users and makes these changes: each create's
    /// login is read once before it is made.
    pub fn incremental(changed: u64, creates: u64, lifecycle: u64, updates: u64) -> Self {
        Self {
            list_create: pages(changed) + creates + lifecycle,
            update: updates,
            schema: 1,
            get: creates,
        }
    }

    /// Every request.
    pub fn total(self) -> u64 {
        self.list_create + self.update + self.schema + self.get
    }

    /// Seconds the busiest bucket needs at `per_window` requests per `window_s` (the share
    /// already applied).
    pub fn bound_s(self, per_window: u32, window_s: f64) -> f64 {
        let rate = f64::from(per_window.max(1)) / window_s;
        self.list_create.max(self.update) as f64 / rate
    }
}

/// The median of `values` (mean of the middle two for an even count); NaN when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        f64::midpoint(v[mid - 1], v[mid])
    }
}

#[cfg(test)]
mod tests;
