//! Pre-hires through the shipped HiBob config: created STAGED on the first run, activated at
//! 09:00 on the start date in the site's zone (by `plan --at`, and by the daemon waking at that
//! moment without waiting for its cron), and never deactivated while bob still says `hired`.

use super::{
    BEN, Env, actions_for, colleagues, colleagues_and_ben, local, next_january_13, pair, pre_hire,
    swap, terminate, utc,
};
use crate::support::wait_until;
use chrono::{Timelike, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Europe::London;
use hrsync::model::UserStatus;
use serde_json::json;
use std::process::Stdio;
use std::time::Duration;

const NIA: &str = "3401928374650192901";

#[tokio::test]
async fn a_bob_pre_hire_is_staged_on_the_first_run_and_activated_at_nine_on_its_start_date_in_its_sites_zone()
 {
    let start = next_january_13();
    let day = start.to_string();
    let mut people = colleagues_and_ben(3, start);
    people.push(pre_hire(NIA, ("Nia", "Brooks"), start, "New York"));
    let env = Env::start(people).await;

    let first = env.sync_json().await;
    assert_eq!(first["status"], "applied", "{first}");
    assert_eq!(first["counts"]["created"], 5, "{first}");
    for id in [BEN, NIA] {
        let user = env.user_of(id);
        assert_eq!(user.status, UserStatus::Staged, "{id} is created STAGED");
        assert_eq!(actions_for(&first, id), pair("create", "new_hire"));
    }
    // The colleagues, who have started, are activated at once.
    for c in colleagues(3) {
        assert!(env.user_of(c["id"].as_str().unwrap()).status.is_activated());
    }
    env.okta().reset_stats();

    // London in January is UTC; New York is UTC-5.
    let london_nine = local(London, start, 9, 0, 0);
    let new_york_nine = local(New_York, start, 9, 0, 0);
    assert_eq!(london_nine, utc(&format!("{day}T09:00:00Z")));
    assert_eq!(new_york_nine, utc(&format!("{day}T14:00:00Z")));

    let before = env
        .plan_json(london_nine - chrono::Duration::seconds(1))
        .await;
    assert_eq!(actions_for(&before, BEN), vec![], "{before}");
    assert_eq!(actions_for(&before, NIA), vec![], "{before}");
    assert_eq!(before["counts"]["activate"], 0, "{before}");
    assert_eq!(
        before["next_wakeup"],
        json!(london_nine),
        "the plan wakes the daemon at Ben's 09:00: {before}"
    );

    let at_nine = env.plan_json(london_nine).await;
    assert_eq!(
        actions_for(&at_nine, BEN),
        pair("activate", "start_date_reached")
    );
    assert_eq!(
        actions_for(&at_nine, NIA),
        vec![],
        "09:00 in London is 04:00 in New York: {at_nine}"
    );
    assert_eq!(at_nine["next_wakeup"], json!(new_york_nine), "{at_nine}");

    let ny_before = env
        .plan_json(new_york_nine - chrono::Duration::seconds(1))
        .await;
    assert_eq!(actions_for(&ny_before, NIA), vec![], "{ny_before}");
    let ny_nine = env.plan_json(new_york_nine).await;
    assert_eq!(
        actions_for(&ny_nine, NIA),
        pair("activate", "start_date_reached")
    );
    assert_eq!(
        actions_for(&ny_nine, BEN),
        pair("activate", "start_date_reached")
    );

    assert_eq!(env.okta().stats().writes(), 0, "plan writes nothing");
    for id in [BEN, NIA] {
        assert_eq!(env.user_of(id).status, UserStatus::Staged);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_wakes_at_a_pre_hires_activation_moment_and_activates_it_without_waiting_for_cron()
 {
    // The daemon plans with the system clock (SyncRunner uses Utc::now), so it cannot be
    // driven by a virtual clock: the activation moment is put a few seconds ahead instead, as
    // `activate_at` on today's date in London. The cron fires only on 1 January at midnight.
    let moment = (Utc::now() + chrono::Duration::seconds(15))
        .with_nanosecond(0)
        .unwrap();
    let local_moment = moment.with_timezone(&London);
    let start = local_moment.date_naive();
    let activate_at = local_moment.format("%H:%M:%S").to_string();
    let env = Env::start_with(colleagues_and_ben(2, start), |toml| {
        let toml = swap(
            toml,
            "activate_at = \"09:00\"",
            &format!("activate_at = \"{activate_at}\""),
        );
        swap(toml, "cron = \"0 */15 * * * *\"", "cron = \"0 0 0 1 1 *\"")
    })
    .await;

    let log_path = env.org.dir.path().join("daemon.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = env
        .command(&["run"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let daemon_log = || std::fs::read_to_string(&log_path).unwrap();

    // The startup run creates Ben STAGED, before the moment.
    let bound = (moment - Utc::now()).to_std().unwrap_or(Duration::ZERO);
    wait_until(
        bound,
        "the startup run did not create the pre-hire before the activation moment",
        || !env.users_of(BEN).is_empty(),
    )
    .await;
    assert_eq!(env.user_of(BEN).status, UserStatus::Staged);

    // Then the activation right after the moment (20 s after it at most).
    let deadline = moment + chrono::Duration::seconds(20);
    let activated = loop {
        let user = env.user_of(BEN);
        if user.status.is_activated() {
            break user;
        }
        assert!(
            Utc::now() < deadline,
            "Ben was not activated within 20 s of his activation moment {moment}\n{}",
            daemon_log()
        );
        assert!(child.try_wait().unwrap().is_none(), "{}", daemon_log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let seen = Utc::now();
    assert!(
        seen >= moment,
        "activated before its moment ({seen} < {moment})"
    );
    let at = activated.activated.expect("an activation time");
    assert!(
        at >= moment && at < moment + chrono::Duration::seconds(5),
        "activated at {at}, expected within 5 s after {moment}"
    );

    let status = terminate(&mut child).await;
    assert_eq!(status.code(), Some(0), "{}", daemon_log());

    // The journal: a startup run that created, then a wake-up run that activated; no cron run.
    let journal = env.journal();
    let mut runs = journal.runs(10).unwrap();
    runs.sort_by_key(|r| r.started_at);
    let triggers: Vec<&str> = runs.iter().map(|r| r.trigger.as_str()).collect();
    assert_eq!(triggers, ["startup", "wakeup"], "{}", daemon_log());
    let created = journal.actions_for_run(runs[0].id).unwrap();
    let ben_created = created
        .iter()
        .find(|a| a.employee_id.as_ref().map(|e| e.as_str()) == Some(BEN))
        .unwrap_or_else(|| panic!("the startup run did not create Ben: {created:?}"));
    assert_eq!(ben_created.kind, "create");
    assert_eq!(
        ben_created.changes["activate"], false,
        "created STAGED: {ben_created:?}"
    );
    let actions = journal.actions_for_run(runs[1].id).unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0].kind, "activate");
    assert_eq!(actions[0].reason, "start_date_reached");
    assert_eq!(
        actions[0].employee_id.as_ref().map(|e| e.as_str()),
        Some(BEN)
    );
    assert!(runs[1].started_at >= moment, "{:?}", runs[1]);
}

#[tokio::test]
async fn a_staged_pre_hire_is_never_deactivated_while_bob_still_says_hired() {
    let start = next_january_13();
    let env = Env::start(colleagues_and_ben(3, start)).await;
    let first = env.sync_json().await;
    assert_eq!(actions_for(&first, BEN), pair("create", "new_hire"));
    let ben = env.user_of(BEN);
    assert_eq!(ben.status, UserStatus::Staged);
    env.okta().reset_stats();

    // bob's access status stays "Inactive" all along: only the lifecycle status counts.
    let nine = local(London, start, 9, 0, 0);
    let instants = [
        Utc::now() + chrono::Duration::minutes(5),
        Utc::now() + chrono::Duration::days(1),
        nine - chrono::Duration::days(7),
        local(London, start, 0, 0, 0) - chrono::Duration::seconds(1),
        nine - chrono::Duration::seconds(1),
    ];
    for at in instants {
        let plan = env.plan_json(at).await;
        assert_eq!(actions_for(&plan, BEN), vec![], "plan at {at}: {plan}");
        assert_eq!(plan["counts"]["deactivate"], 0, "plan at {at}: {plan}");
        assert_eq!(plan["counts"]["held_back"], 0, "plan at {at}: {plan}");
        let report = env.sync_at(at).await;
        assert_eq!(report.counts.deactivated, 0, "sync at {at}");
        assert_eq!(report.counts.suspended, 0, "sync at {at}");
        assert!(
            report
                .plan
                .actions
                .iter()
                .all(|a| a.employee_id.as_ref().map(|e| e.as_str()) != Some(BEN)),
            "sync at {at}: {:?}",
            report.plan.actions
        );
        assert_eq!(env.user_of(BEN).status, UserStatus::Staged, "after {at}");
    }
    // One binary sync at the real now as well.
    let last = env.sync_json().await;
    assert_eq!(actions_for(&last, BEN), vec![], "{last}");

    assert_eq!(env.deactivations(), 0, "Okta received no deactivation");
    assert_eq!(env.okta().stats().writes(), 0, "nothing at all was written");
    let after = env.user_of(BEN);
    assert_eq!(after.status, UserStatus::Staged);
    assert_eq!(after.id, ben.id, "still the same user");
}
