//! The Grafana dashboard (`deploy/grafana/hrsync.json`) and the Prometheus rules
//! (`deploy/prometheus/hrsync-rules.yml`) query only metrics hrsync really exports: every
//! `hrsync_…` name in them is a sample name of the daemon's registry. The dashboard is checked
//! at the level of its JSON model (ids, panels, targets), and, when `promtool` is installed
//! (always in CI), every panel query is parsed by Prometheus itself.

use hrsync::daemon::metrics::Metrics;
use hrsync::daemon::metrics::edge::ConnectionTimeout;
use hrsync::daemon::{RunStatus, RunSummary};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every sample name `/metrics` can show, from the registry's `# TYPE` lines once every
/// labelled family has a child (a family without one is not rendered at all).
fn exported() -> BTreeSet<String> {
    let metrics = Metrics::new();
    let mut run = RunSummary::new(RunStatus::Applied, "ok");
    run.actions.insert(("create".into(), "applied".into()), 1);
    run.okta_requests
        .insert(("/api/v1/users".into(), "200".into()), 1);
    metrics.record_run(&run, Duration::from_secs(1), 1.0);
    metrics.record_reload(false);
    metrics.edge().connection_timed_out(ConnectionTimeout::Idle);
    let text = metrics.render();
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# TYPE ") else {
            continue;
        };
        let mut parts = rest.split(' ');
        let (name, kind) = (parts.next().unwrap(), parts.next().unwrap());
        names.insert(name.to_owned());
        match kind {
            "counter" if !name.ends_with("_total") => {
                names.insert(format!("{name}_total"));
            }
            "histogram" => {
                for suffix in ["_bucket", "_sum", "_count"] {
                    names.insert(format!("{name}{suffix}"));
                }
            }
            _ => {}
        }
    }
    assert!(names.len() > 20, "{text}");
    names
}

/// The `hrsync_…` metric names used in `text`.
fn used(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("hrsync_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        names.insert(tail[..end].to_owned());
        rest = &tail[end..];
    }
    names
}

fn dashboard() -> serde_json::Value {
    let text = std::fs::read_to_string(repo("deploy/grafana/hrsync.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every PromQL expression of the dashboard: panel targets and template queries.
fn expressions(d: &serde_json::Value) -> Vec<String> {
    let mut exprs = Vec::new();
    for panel in d["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            exprs.push(target["expr"].as_str().unwrap().to_owned());
        }
    }
    exprs
}

#[test]
fn the_dashboard_is_a_well_formed_grafana_model_of_panels_with_queries() {
    let d = dashboard();
    assert_eq!(d["uid"], "hrsync");
    assert!(d["title"].is_string() && d["schemaVersion"].is_u64(), "{d}");
    assert_eq!(d["__inputs"][0]["name"], "DS_PROMETHEUS");
    let panels = d["panels"].as_array().unwrap();
    assert!(panels.len() >= 10, "{} panels", panels.len());
    let mut ids = BTreeSet::new();
    for p in panels {
        let title = p["title"].as_str().unwrap();
        assert!(
            ids.insert(p["id"].as_u64().unwrap()),
            "{title}: repeated id"
        );
        assert!(
            ["stat", "timeseries"].contains(&p["type"].as_str().unwrap()),
            "{title}"
        );
        assert_eq!(p["datasource"]["uid"], "${DS_PROMETHEUS}", "{title}");
        for key in ["x", "y", "w", "h"] {
            assert!(p["gridPos"][key].is_u64(), "{title}: gridPos.{key}");
        }
        assert!(p["gridPos"]["x"].as_u64().unwrap() + p["gridPos"]["w"].as_u64().unwrap() <= 24);
        assert!(!p["description"].as_str().unwrap().is_empty(), "{title}");
        let targets = p["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{title}");
        let refs: BTreeSet<&str> = targets
            .iter()
            .map(|t| t["refId"].as_str().unwrap())
            .collect();
        assert_eq!(refs.len(), targets.len(), "{title}: repeated refId");
    }
}

#[test]
fn every_metric_the_dashboard_queries_is_one_hrsync_exports() {
    let exported = exported();
    let d = dashboard();
    let mut queried = BTreeSet::new();
    for expr in expressions(&d) {
        queried.extend(used(&expr));
    }
    queried.extend(used(&d["templating"].to_string()));
    let unknown: Vec<_> = queried.difference(&exported).collect();
    assert!(
        unknown.is_empty(),
        "not exported: {unknown:?}; exported: {exported:?}"
    );
    // What an operator needs at a glance (issue 22).
    for needed in [
        "hrsync_runs_total",
        "hrsync_actions_total",
        "hrsync_okta_requests_total",
        "hrsync_rate_limit_waits_total",
        "hrsync_pending_activations",
        "hrsync_quarantined",
        "hrsync_quarantined_actions",
        "hrsync_last_success_timestamp_seconds",
    ] {
        assert!(
            queried.contains(needed),
            "the dashboard does not show {needed}"
        );
    }
}

#[test]
fn every_metric_the_alert_rules_and_their_tests_use_is_one_hrsync_exports() {
    let exported = exported();
    for file in [
        "deploy/prometheus/hrsync-rules.yml",
        "deploy/prometheus/hrsync-rules.test.yml",
    ] {
        let text = std::fs::read_to_string(repo(file)).unwrap();
        let names = used(&text);
        assert!(names.len() >= 5, "{file}: {names:?}");
        let unknown: Vec<_> = names.difference(&exported).collect();
        assert!(unknown.is_empty(), "{file}: not exported: {unknown:?}");
    }
    let rules = std::fs::read_to_string(repo("deploy/prometheus/hrsync-rules.yml")).unwrap();
    for alert in [
        "HrsyncNoSuccessfulRun",
        "HrsyncRunsFailing",
        "HrsyncQuarantined",
        "HrsyncRunBlocked",
        "HrsyncQuarantinedActions",
        "HrsyncOktaRateLimited",
    ] {
        assert!(rules.contains(&format!("- alert: {alert}\n")), "{alert}");
    }
}

#[test]
fn prometheus_parses_every_dashboard_query() {
    let promtool = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("promtool"))
            .find(|p| p.is_file())
    });
    let Some(promtool) = promtool else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs promtool (Debian package prometheus)"
        );
        eprintln!("promtool not installed: dashboard queries not parsed");
        return;
    };
    // Each query as a recording rule, the dashboard's variable replaced by a match-all.
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, expr) in expressions(&dashboard()).iter().enumerate() {
        let expr = expr.replace("$instance", ".*");
        rules.push_str(&format!(
            "      - record: dashboard:query{i}\n        expr: {}\n",
            serde_json::to_string(&expr).unwrap()
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dashboard-rules.yml");
    std::fs::write(&path, &rules).unwrap();
    let out = std::process::Command::new(promtool)
        .args(["check", "rules"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}\n{rules}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
