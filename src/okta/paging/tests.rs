use super::*;

const SELF_LINK: &str = r#"<https://x.okta.com/api/v1/users?limit=200>; rel="self""#;
const NEXT_LINK: &str =
    r#"<https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200>; rel="next""#;

#[test]
fn the_next_link_is_found_on_separate_header_lines() {
    assert_eq!(
        next_link([SELF_LINK, NEXT_LINK]).as_deref(),
        Some("https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200")
    );
}

#[test]
fn the_next_link_is_found_in_a_comma_joined_value() {
    let joined = format!("{SELF_LINK}, {NEXT_LINK}");
    assert_eq!(
        next_link([joined.as_str()]).as_deref(),
        Some("https://x.okta.com/api/v1/users?after=00ub0oNGTSWTBKOLGLNR&limit=200")
    );
    let reversed = format!("{NEXT_LINK},{SELF_LINK}");
    assert!(next_link([reversed.as_str()]).is_some_and(|u| u.contains("after=")));
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn the_page_cap_holds_ten_million_users_at_200_a_page() {
    assert_eq!(max_pages(200), 50_001);
    assert_eq!(max_pages(0), MAX_ORG_USERS + 1);
}

#[test]
fn a_next_link_to_a_page_already_read_is_refused() {
    let first = url("https://x.okta.com/api/v1/users?limit=200");
    let mut guard = PageGuard::new(&first, 100);
    assert!(guard.admit(&first).unwrap_err().contains("already read"));
    let second = url("https://x.okta.com/api/v1/users?after=a1&limit=200");
    guard.admit(&second).unwrap();
    guard
        .admit(&url("https://x.okta.com/api/v1/users?after=a2&limit=200"))
        .unwrap();
    assert!(guard.admit(&second).is_err());
    assert_eq!(guard.pages(), 3);
}

#[test]
fn a_repeated_after_cursor_is_refused_even_in_another_url() {
    let first = url("https://x.okta.com/api/v1/users?limit=200&after=c1");
    let mut guard = PageGuard::new(&first, 100);
    let err = guard
        .admit(&url(
            "https://x.okta.com/api/v1/users?after=c1&limit=200&x=1",
        ))
        .unwrap_err();
    assert!(err.contains("after=c1"), "{err}");
}

#[test]
fn ever_new_cursors_stop_at_the_page_cap() {
    let first = url("https://x.okta.com/api/v1/users?limit=200");
    let mut guard = PageGuard::new(&first, 5);
    for i in 0..4 {
        guard
            .admit(&url(&format!("https://x.okta.com/api/v1/users?after=c{i}")))
            .unwrap();
    }
    let err = guard
        .admit(&url("https://x.okta.com/api/v1/users?after=c9"))
        .unwrap_err();
    assert!(err.contains("more than 5 pages"), "{err}");
}

#[test]
fn the_last_page_has_no_next_link() {
    assert_eq!(next_link([SELF_LINK]), None);
    assert_eq!(next_link(std::iter::empty()), None);
}

#[test]
fn the_url_is_kept_verbatim_including_commas_and_encoded_filters() {
    let v = r#"<http://127.0.0.1:1/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&after=a,b&limit=200>; rel="next""#;
    assert_eq!(
        next_link([v]).as_deref(),
        Some(
            "http://127.0.0.1:1/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&after=a,b&limit=200"
        )
    );
}

#[test]
fn rel_is_matched_case_insensitively_among_several_values_and_params() {
    let v = r#"<https://a/1>; title="a, b"; REL="prev Next""#;
    assert_eq!(next_link([v]).as_deref(), Some("https://a/1"));
    assert_eq!(next_link(["garbage without brackets"]), None);
    assert_eq!(next_link(["<unterminated; rel=\"next\""]), None);
}
