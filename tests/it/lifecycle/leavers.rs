//! Leavers through the shipped HiBob config: a terminated person whose bob id anchors two live
//! Okta users has both deactivated in one sync, and garden leave keeps the user ACTIVE until
//! the end of the last day of work in the site's zone.

use super::{
    Env, actions_for, bob_person, colleagues, local, next_january_13, okta_profile, pair, utc,
};
use crate::support::ModelUsers;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Asia::Jerusalem;
use hrsync::model::UserStatus;
use serde_json::{Value, json};

const CHLOE: &str = "3401928374650100777";

#[tokio::test]
async fn a_leaver_whose_bob_id_anchors_two_live_okta_users_has_both_deactivated_in_one_sync() {
    // 40 colleagues plus the two accounts make 42 managed users: the shipped limit of 5 %
    // allows floor(2.1) = 2 deactivations, exactly these two (with fewer, the plan limit
    // would hold them back, which is another test's subject).
    let mut people = colleagues(40);
    people.push(crate::bob_data::chloe_leaver());
    let env = Env::start(people).await;
    let first = env.sync_json().await;
    assert_eq!(first["counts"]["created"], 40, "{first}");
    assert_eq!(actions_for(&first, CHLOE), vec![], "no user for a leaver");

    // Two live accounts carry Chloé's bob id: her own, and an old one an admin suspended.
    let profile = |login: &str| {
        json!({"login": login, "email": login, "firstName": "Chloé", "lastName": "Lefèvre",
               "employeeNumber": CHLOE})
    };
    env.okta().seed(vec![
        json!({"status": "ACTIVE", "profile": profile("chloe.lefevre@example.com")}),
        json!({"status": "SUSPENDED", "profile": profile("c.lefevre@example.com")}),
    ]);
    let active = env.okta_id_of_login("chloe.lefevre@example.com");
    let suspended = env.okta_id_of_login("c.lefevre@example.com");
    env.okta().reset_stats();

    let run = env.sync_json().await;
    assert_eq!(run["status"], "applied", "{run}");
    assert_eq!(run["blocked"], Value::Null, "{run}");
    assert_eq!(run["counts"]["deactivated"], 2, "{run}");
    let mut deactivated: Vec<&str> = run["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["employee_id"] == CHLOE)
        .map(|a| {
            assert_eq!(a["action"]["kind"], "deactivate", "{a}");
            assert_eq!(a["reason"], "terminated", "{a}");
            assert_eq!(a["outcome"]["status"], "applied", "{a}");
            a["okta_id"].as_str().unwrap()
        })
        .collect();
    deactivated.sort_unstable();
    let mut expected = vec![active.as_str(), suspended.as_str()];
    expected.sort_unstable();
    assert_eq!(deactivated, expected, "{run}");
    let notice = run["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["employee_id"] == CHLOE && f["reason"] == "duplicate_anchor")
        .unwrap_or_else(|| panic!("no finding names the duplicate anchor: {run}"));
    let detail = notice["detail"].as_str().unwrap();
    assert!(
        detail.contains(&active) && detail.contains(&suspended),
        "{detail}"
    );

    for id in [&active, &suspended] {
        assert_eq!(env.user_json(id)["status"], "DEPROVISIONED", "{id}");
    }
    assert_eq!(env.deactivations(), 2);
    // Nobody else lost access.
    let live = env
        .okta()
        .model_users()
        .iter()
        .filter(|u| u.status != UserStatus::Deprovisioned)
        .count();
    assert_eq!(live, 40);
}

const GIL: &str = "3401928374650194001";

#[tokio::test]
async fn garden_leave_keeps_the_active_user_until_the_end_of_the_last_day_of_work_in_the_sites_zone()
 {
    // 24 colleagues and Gil make 25 managed users: the shipped 5 % limit allows floor(1.25) = 1
    // deactivation, Gil's (with fewer than 20 the plan limit would hold it back).
    let year = next_january_13().year();
    let last_day = NaiveDate::from_ymd_opt(year, 1, 20).unwrap();
    let termination = NaiveDate::from_ymd_opt(year, 2, 19).unwrap();
    let mut gil = bob_person(
        GIL,
        ("Gil", "Amir"),
        ("garden leave", "Active"),
        "2021-06-01",
        "Tel Aviv",
    );
    gil["internal"]["terminationDate"] = json!(termination.to_string());
    gil["employee"]["lastDayOfWork"] = json!(last_day.to_string());
    let mut people = colleagues(24);
    people.push(gil.clone());
    let env = Env::start(people).await;
    env.okta().seed(vec![
        json!({"status": "ACTIVE", "profile": okta_profile(&gil)}),
    ]);
    let gil_id = env.user_of(GIL).id.as_str().to_owned();
    let gil_before = env.user_json(&gil_id);

    let run = env.sync_json().await;
    assert_eq!(run["counts"]["created"], 24, "{run}");
    assert_eq!(actions_for(&run, GIL), vec![], "{run}");
    assert_eq!(
        env.user_json(&gil_id),
        gil_before,
        "Gil's ACTIVE user is untouched"
    );

    // The end of 20 January in Tel Aviv (UTC+2 in winter) is 22:00 UTC, before that day ends
    // in London.
    let end = local(Jerusalem, last_day.succ_opt().unwrap(), 0, 0, 0);
    assert_eq!(end, utc(&format!("{last_day}T22:00:00Z")));
    for at in [
        utc(&format!("{last_day}T08:00:00Z")),
        end - chrono::Duration::seconds(1),
    ] {
        let plan = env.plan_json(at).await;
        assert_eq!(actions_for(&plan, GIL), vec![], "plan at {at}: {plan}");
        assert_eq!(plan["next_wakeup"], json!(end), "plan at {at}: {plan}");
    }
    let still = env.sync_at(end - chrono::Duration::seconds(1)).await;
    assert_eq!(still.counts.deactivated, 0);
    assert_eq!(env.user_of(GIL).status, UserStatus::Active);

    let after = env.plan_json(end).await;
    assert_eq!(actions_for(&after, GIL), pair("deactivate", "terminated"));
    assert_eq!(after["counts"]["held_back"], 0, "{after}");
    let later = env.plan_json(end + chrono::Duration::days(3)).await;
    assert_eq!(actions_for(&later, GIL), pair("deactivate", "terminated"));
    assert_eq!(
        env.user_of(GIL).status,
        UserStatus::Active,
        "plan changes nothing"
    );
}
