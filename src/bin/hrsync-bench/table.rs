//! Renders benchmark figures: one line per run for the progress log, and the Markdown table of
//! medians that goes into `BENCHMARKS.md`. Pure formatting.

use super::figures::{Figures, median};
use std::fmt::Write;

/// A one-line summary of one run.
pub fn one_line(f: &Figures) -> String {
    if !f.pages_ms.is_empty() {
        let pages: Vec<String> = f
            .pages_ms
            .iter()
            .map(|(page, t)| format!("{page} {:.1} ms", median(t)))
            .collect();
        return format!("console pages (medians): {}; {}", pages.join(", "), f.plan);
    }
    if !f.plan_ms.is_empty() {
        return format!(
            "planner: median {:.0} ms of {:?}; peak RSS {:.0} MiB; {}",
            median(&f.plan_ms),
            f.plan_ms.iter().map(|t| t.round()).collect::<Vec<_>>(),
            f.peak_rss_mib,
            f.plan
        );
    }
    format!(
        "{} requests (min {}, ratio {:.3}), {} writes, {} × 429, wall {:.2} s / bound {:.2} s = {:.2}, hrsync CPU {:.2} s, peak RSS {:.0} MiB; {}",
        f.total,
        f.minimum,
        f.ratio(),
        f.writes,
        f.rate_limited,
        f.wall_s,
        f.bound_s,
        f.wall_ratio(),
        f.cpu_s,
        f.peak_rss_mib,
        with_hr_read(&f.plan, f.hr_read_s, f.wall_s)
    )
}

fn med(runs: &[Figures], f: impl Fn(&Figures) -> f64) -> f64 {
    median(&runs.iter().map(f).collect::<Vec<_>>())
}

/// Requests by class of the runs; one value when every run agrees, else `min–max`.
fn by_class(runs: &[Figures]) -> String {
    let Some(first) = runs.first() else {
        return String::new();
    };
    let mut classes: Vec<&String> = runs.iter().flat_map(|r| r.requests.keys()).collect();
    classes.sort();
    classes.dedup();
    let mut out = Vec::new();
    for class in classes {
        let counts: Vec<u64> = runs
            .iter()
            .map(|r| r.requests.get(class).copied().unwrap_or(0))
            .collect();
        let (lo, hi) = (
            counts.iter().min().copied().unwrap_or(0),
            counts.iter().max().copied().unwrap_or(0),
        );
        if lo == hi {
            out.push(format!("{class} {lo}"));
        } else {
            out.push(format!("{class} {lo}–{hi}"));
        }
    }
    let _ = first;
    out.join(", ")
}

/// The Markdown table: one row per scenario, medians over its runs.
pub fn markdown(all: &[Vec<Figures>]) -> String {
    let mut t = String::new();
    t.push_str("| scenario | runs | employees / Okta users | Okta requests by class | total | minimum | ratio | writes | 429s | wall s | bound s | wall/bound | hrsync CPU s | hrsync peak RSS MiB (RSS before run) | plan |\n");
    t.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for runs in all {
        let Some(first) = runs.first() else { continue };
        if !first.pages_ms.is_empty() {
            let pages: Vec<String> = first
                .pages_ms
                .keys()
                .map(|page| {
                    let times: Vec<f64> = runs
                        .iter()
                        .flat_map(|r| r.pages_ms.get(page).cloned().unwrap_or_default())
                        .collect();
                    format!("{page} {:.1} ms", median(&times))
                })
                .collect();
            let _ = writeln!(
                t,
                "| {} | {} | {} / {} | (pages, no Okta) | – | – | – | – | – | slowest page {:.1} ms | – | – | {:.4} per page | {:.0} | {}; {} |",
                first.scenario,
                runs.len(),
                first.employees,
                first.okta_users,
                med(runs, |r| r.wall_s) * 1000.0,
                med(runs, |r| r.cpu_s),
                med(runs, |r| r.peak_rss_mib),
                pages.join(", "),
                first.plan
            );
            continue;
        }
        if !first.plan_ms.is_empty() {
            let times: Vec<f64> = runs.iter().flat_map(|r| r.plan_ms.clone()).collect();
            let _ = writeln!(
                t,
                "| {} | {} × {} plans | {} / {} | (no I/O) | – | – | – | – | – | plan {:.0} ms (median of {}; min {:.0}, max {:.0}) | – | – | {:.2} per plan | {:.0} ({:.0}) | {} |",
                first.scenario,
                runs.len(),
                first.plan_ms.len(),
                first.employees,
                first.okta_users,
                median(&times),
                times.len(),
                times.iter().copied().fold(f64::INFINITY, f64::min),
                times.iter().copied().fold(0.0, f64::max),
                med(runs, |r| r.cpu_s),
                med(runs, |r| r.peak_rss_mib),
                med(runs, |r| r.rss_before_mib),
                first.plan
            );
            continue;
        }
        let _ = writeln!(
            t,
            "| {} | {} | {} / {} | {} | {:.0} | {} | {:.3} | {:.0} | {:.0} | {:.2} | {:.2} | {:.3} | {:.2} | {:.0} ({:.0}) | {} |",
            first.scenario,
            runs.len(),
            first.employees,
            first.okta_users,
            by_class(runs),
            med(runs, |r| r.total as f64),
            first.minimum,
            med(runs, Figures::ratio),
            med(runs, |r| r.writes as f64),
            med(runs, |r| r.rate_limited as f64),
            med(runs, |r| r.wall_s),
            first.bound_s,
            med(runs, Figures::wall_ratio),
            med(runs, |r| r.cpu_s),
            med(runs, |r| r.peak_rss_mib),
            med(runs, |r| r.rss_before_mib),
            with_hr_read(
                &first.plan,
                med(runs, |r| r.hr_read_s),
                med(runs, |r| r.wall_s)
            )
        );
    }
    t
}

/// The plan's words, and the HR file's read time with wall ÷ that time when it was measured.
fn with_hr_read(plan: &str, hr_read_s: f64, wall_s: f64) -> String {
    if hr_read_s > 0.0 {
        format!(
            "{plan}; HR read alone {hr_read_s:.2} s, wall/HR read {:.2}",
            wall_s / hr_read_s
        )
    } else {
        plan.to_owned()
    }
}

#[cfg(test)]
mod tests;
