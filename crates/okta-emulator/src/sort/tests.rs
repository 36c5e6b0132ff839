use super::*;
use chrono::Utc;
use serde_json::Map;

fn user(id: &str, dept: Option<&str>) -> UserRecord {
    let mut p = Map::new();
    if let Some(d) = dept {
        p.insert("department".into(), json!(d));
    }
    let mut u = UserRecord::new(p, Utc::now());
    u.id = id.into();
    u
}

#[test]
fn pages_follow_the_sort_order_with_missing_values_last() {
    let users = [
        user("00u1", Some("b")),
        user("00u2", Some("A")),
        user("00u3", None),
        user("00u4", Some("c")),
    ];
    let s = Sort::from_params(Some("profile.department"), None)
        .unwrap()
        .unwrap();
    let (p1, next) = s.page(users.iter().collect(), None, 2).unwrap();
    assert_eq!(
        p1.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["00u2", "00u1"]
    );
    let (p2, next2) = s.page(users.iter().collect(), next.as_deref(), 2).unwrap();
    assert_eq!(
        p2.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["00u4", "00u3"]
    );
    assert!(next2.is_none());
    let d = Sort::from_params(Some("profile.department"), Some("DESC"))
        .unwrap()
        .unwrap();
    let (p, _) = d.page(users.iter().collect(), None, 4).unwrap();
    assert_eq!(
        p.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["00u4", "00u1", "00u2", "00u3"]
    );
}

#[test]
fn a_bad_order_or_cursor_is_refused() {
    assert!(Sort::from_params(Some("id"), Some("sideways")).is_err());
    let s = Sort::from_params(Some("id"), None).unwrap().unwrap();
    assert_eq!(
        s.page(Vec::new(), Some("garbage"), 10).unwrap_err().code,
        "E0000054"
    );
    assert!(Sort::from_params(None, Some("desc")).unwrap().is_none());
}
