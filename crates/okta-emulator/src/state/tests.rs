use super::*;

#[test]
fn lagging_search_sees_a_write_only_after_the_lag_and_the_queue_stays_short() {
    let t0 = Utc::now();
    let mut s = Store::default();
    assert_eq!(s.searchable(t0, 1000, None).count(), 0);
    for i in 0..50 {
        let u = UserRecord::new(serde_json::Map::new(), t0);
        s.put(u, t0 + Duration::milliseconds(i * 100));
    }
    // Writes older than the lag were folded in by later writes, without any search.
    let queued = s.search.as_ref().map_or(0, |i| i.queue.len());
    assert!(queued <= 11, "{queued}");
    let t_end = t0 + Duration::milliseconds(4900);
    assert_eq!(s.searchable(t_end, 1000, None).count(), 40);
    assert_eq!(
        s.searchable(t_end + Duration::seconds(2), 1000, None)
            .count(),
        50
    );
}

#[test]
fn an_unambiguous_login_shortname_finds_its_user() {
    let mut s = Store::default();
    let t = Utc::now();
    for login in ["ada@x.co", "bob@x.co", "bob@y.co"] {
        let mut p = serde_json::Map::new();
        p.insert("login".into(), serde_json::json!(login));
        s.put(UserRecord::new(p, t), t);
    }
    assert_eq!(s.find("ADA").and_then(UserRecord::login), Some("ada@x.co"));
    assert!(s.find("bob").is_none(), "ambiguous");
    assert!(s.find("nobody").is_none());
}

#[test]
fn logins_compare_without_case_or_accents() {
    assert_eq!(
        login_key("Isáàc.Bröck@X.com"),
        login_key("isaac.brock@x.com")
    );
    assert_ne!(login_key("isaac@x.com"), login_key("isaak@x.com"));
}
