//! Benchmark: plan 100,000 employees against 100,000 Okta users (goal: well under 0.5 s).
//!
//! The org: a 10-wide management tree, names with and without diacritics, four time zones;
//! 1 % new hires (creates), 1 % future starters (staged), 1 % leavers, 1 % department changes,
//! 1 % rehires, 100 orphans and 100 unmanaged admins. Run with `cargo bench --bench planner`.

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use hrsync::config::{AttributeMapping, MappingConfig, OnConflict, OnEmpty};
use hrsync::mapping::Template;
use hrsync::model::{Employee, EmployeeId, EmploymentStatus, OktaUser, OktaUserId, UserStatus};
use hrsync::plan::{Policy, plan};
use hrsync::source::Snapshot;
use std::collections::BTreeMap;
use std::hint::black_box;

const N: usize = 100_000;
const FIRST: [&str; 8] = [
    "Ada", "Zoë", "José", "Łukasz", "Søren", "Grace", "Hedy", "Alan",
];
const LAST: [&str; 8] = [
    "Lovelace",
    "Ångström",
    "Núñez",
    "Wójcik",
    "Kierkegård",
    "Hopper",
    "Lamarr",
    "Turing",
];
const DEPTS: [&str; 4] = ["Engineering", "Sales", "Finance", "People"];

fn template(s: &str) -> AttributeMapping {
    AttributeMapping {
        template: Template::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")),
        values: BTreeMap::new(),
        on_empty: OnEmpty::Keep,
        schema: None,
    }
}

fn policy() -> Policy {
    let mut attributes = BTreeMap::new();
    for (attr, t) in [
        ("login", "{email|lower}"),
        ("email", "{email|lower}"),
        ("firstName", "{first_name}"),
        ("lastName", "{last_name}"),
        ("displayName", "{first_name} {last_name}"),
        ("department", "{department}"),
        ("manager", "{manager.okta_login}"),
        ("managerId", "{manager.okta_id}"),
    ] {
        attributes.insert(attr.to_owned(), template(t));
    }
    Policy::with_defaults(MappingConfig {
        attributes,
        login_fallbacks: vec![
            Template::parse("{first_name|ascii|lower}.{last_name|ascii|lower}@example.com")
                .unwrap_or_else(|e| panic!("{e}")),
        ],
        on_conflict: OnConflict::Report,
        types: BTreeMap::new(),
        origins: BTreeMap::new(),
    })
}

fn employee(i: usize) -> Employee {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / 8) % LAST.len()];
    let mut fields = BTreeMap::new();
    fields.insert("first_name".to_owned(), first.to_owned());
    fields.insert("last_name".to_owned(), last.to_owned());
    fields.insert("email".to_owned(), format!("user{i}@example.com"));
    fields.insert("department".to_owned(), DEPTS[i % DEPTS.len()].to_owned());
    let start = if i % 100 == 1 {
        "2026-12-14"
    } else {
        "2020-01-06"
    };
    Employee {
        id: EmployeeId::parse(&format!("{i:06}")).unwrap_or_else(|e| panic!("{e}")),
        fields: fields.into_iter().collect(),
        status: EmploymentStatus::Active,
        raw_status: "Active".to_owned(),
        start_date: NaiveDate::parse_from_str(start, "%Y-%m-%d").ok(),
        termination_date: (i % 100 == 2)
            .then(|| NaiveDate::from_ymd_opt(2026, 11, 1))
            .flatten(),
        timezone: Some(
            [
                chrono_tz::Pacific::Auckland,
                chrono_tz::Europe::London,
                chrono_tz::America::Los_Angeles,
                chrono_tz::Asia::Tokyo,
            ][i % 4],
        ),
        manager_id: (i > 0)
            .then(|| EmployeeId::parse(&format!("{:06}", (i - 1) / 10)).ok())
            .flatten(),
        origin: format!("bench:{i}"),
    }
}

fn okta_id(i: usize) -> String {
    format!("00u{i:017}")
}

fn user(i: usize, e: &Employee) -> OktaUser {
    let mut profile = BTreeMap::new();
    let s = |v: &str| serde_json::Value::String(v.to_owned());
    let f = |k: &str| e.field(k).unwrap_or_default().to_owned();
    profile.insert("login".to_owned(), s(&f("email")));
    profile.insert("email".to_owned(), s(&f("email")));
    profile.insert("firstName".to_owned(), s(&f("first_name")));
    profile.insert("lastName".to_owned(), s(&f("last_name")));
    profile.insert(
        "displayName".to_owned(),
        s(&format!("{} {}", f("first_name"), f("last_name"))),
    );
    let dept = if i % 100 == 3 {
        "Old".to_owned()
    } else {
        f("department")
    };
    profile.insert("department".to_owned(), s(&dept));
    profile.insert("employeeNumber".to_owned(), s(e.id.as_str()));
    if i > 0 {
        let m = (i - 1) / 10;
        profile.insert("manager".to_owned(), s(&format!("user{m}@example.com")));
        profile.insert("managerId".to_owned(), s(&okta_id(m)));
    }
    OktaUser {
        id: OktaUserId(okta_id(i)),
        status: match i % 100 {
            1 => UserStatus::Staged,
            4 => UserStatus::Deprovisioned,
            _ => UserStatus::Active,
        },
        transitioning_to_status: None,
        created: None,
        activated: None,
        status_changed: None,
        last_updated: None,
        profile: profile.into(),
        credentials: Default::default(),
    }
}

fn org() -> (Snapshot, Vec<OktaUser>) {
    let employees: Vec<Employee> = (0..N).map(employee).collect();
    let mut users: Vec<OktaUser> = employees
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 100 != 5) // 1 % new hires
        .map(|(i, e)| user(i, e))
        .collect();
    for k in 0..100 {
        let mut orphan = user(N + k, &employee(N + k));
        orphan.id = OktaUserId(okta_id(N + k));
        users.push(orphan);
        let mut admin = user(2 * N + k, &employee(2 * N + k));
        admin.profile.remove("employeeNumber");
        users.push(admin);
    }
    (
        Snapshot {
            employees,
            rejected: Vec::new(),
        },
        users,
    )
}

fn bench(c: &mut Criterion) {
    let (snapshot, users) = org();
    let policy = policy();
    let now: DateTime<Utc> = "2026-12-01T12:00:00Z".parse().unwrap_or_default();
    let p = plan(&snapshot, &users, &policy, now);
    eprintln!(
        "planner bench: {} employees, {} users -> {} ({} actions)",
        snapshot.employees.len(),
        users.len(),
        p.counts(),
        p.actions.len()
    );
    // Wall-clock numbers suffer on a loaded machine; also report the CPU time of this thread
    // (Linux: /proc/thread-self/schedstat, first field in ns), median of 5 plans.
    // (Skipped when `cargo test --benches` runs this once as a smoke test.)
    let measuring = std::env::args().any(|a| a == "--bench");
    let mut cpu: Vec<f64> = (0..if measuring { 5 } else { 0 })
        .filter_map(|_| {
            let before = thread_cpu_ns()?;
            black_box(plan(&snapshot, &users, &policy, now));
            Some((thread_cpu_ns()? - before) as f64 / 1e6)
        })
        .collect();
    cpu.sort_by(f64::total_cmp);
    if let Some(median) = cpu.get(cpu.len() / 2) {
        eprintln!("planner bench: median CPU time per plan: {median:.1} ms (of {cpu:.1?})");
    }
    let mut group = c.benchmark_group("planner");
    group.sample_size(10);
    group.bench_function("plan_100k_employees_100k_users", |b| {
        b.iter(|| {
            plan(
                black_box(&snapshot),
                black_box(&users),
                black_box(&policy),
                now,
            )
        })
    });
    group.finish();
}

fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, bench);
criterion_main!(benches);
