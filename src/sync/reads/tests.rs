use super::*;
use chrono::TimeZone;

fn t(min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, min, 0).unwrap()
}

fn settings() -> ReadSettings {
    ReadSettings {
        incremental: true,
        overlap: Duration::from_secs(300),
        full_pass_every: Duration::from_secs(86_400),
        org_url: "https://example.okta.com/".into(),
        max_listings: 8,
        users_per_listing: full::USERS_PER_LISTING,
    }
}

fn header() -> CacheHeader {
    CacheHeader {
        org_url: "https://example.okta.com/".into(),
        fingerprint: "fp".into(),
        watermark: Some(t(0)),
        last_full_pass: t(0),
        full_pass_wanted: None,
    }
}

fn request() -> RunRequest {
    RunRequest::default()
}

#[test]
fn a_run_is_incremental_only_with_this_orgs_current_cache_inside_the_full_pass_period() {
    let s = settings();
    let h = header();
    assert_eq!(why_full(&s, &request(), Some(&h), "fp", t(10)), None);
    let why = |s: &ReadSettings, r: &RunRequest, h: Option<&CacheHeader>, fp: &str, now| {
        why_full(s, r, h, fp, now).unwrap_or_default()
    };
    assert!(why(&s, &request(), None, "fp", t(10)).contains("no cache"));
    let other = CacheHeader {
        org_url: "https://other.okta.com/".into(),
        ..h.clone()
    };
    assert!(why(&s, &request(), Some(&other), "fp", t(10)).contains("another org"));
    assert!(why(&s, &request(), Some(&h), "changed", t(10)).contains("mapping"));
    let day = t(0) + chrono::Duration::days(1);
    assert!(why(&s, &request(), Some(&h), "fp", day).contains("full_pass_every"));
    assert!(
        why(
            &s,
            &request(),
            Some(&h),
            "fp",
            t(0) - chrono::Duration::minutes(1)
        )
        .contains("full_pass_every"),
        "an instant before the last full pass"
    );
    let wanted = CacheHeader {
        full_pass_wanted: Some("a user was gone".into()),
        ..h.clone()
    };
    assert_eq!(
        why(&s, &request(), Some(&wanted), "fp", t(10)),
        "a user was gone"
    );
    let full = RunRequest {
        full: true,
        ..request()
    };
    assert_eq!(why(&s, &full, Some(&h), "fp", t(10)), "--full");
    let dry = RunRequest {
        dry_run: true,
        ..request()
    };
    assert!(why(&s, &dry, Some(&h), "fp", t(10)).contains("dry run"));
    let off = ReadSettings {
        incremental: false,
        ..settings()
    };
    assert!(why(&off, &request(), Some(&h), "fp", t(10)).contains("incremental = false"));
}

#[test]
fn the_watermark_is_the_latest_last_updated_minus_the_time_the_listing_took() {
    let user = |min: u32| -> OktaUser {
        serde_json::from_value(serde_json::json!({
            "id": format!("00u{min}"), "status": "ACTIVE",
            "lastUpdated": t(min).to_rfc3339(), "profile": {}
        }))
        .unwrap()
    };
    let users = [user(3), user(7), user(5)];
    assert_eq!(watermark_of(&users, Duration::from_secs(60)), Some(t(6)));
    assert_eq!(watermark_of(&[], Duration::ZERO), None);
}

#[test]
fn a_full_pass_is_split_into_ranges_of_about_equal_size_only_when_it_is_worth_it() {
    const U: usize = full::USERS_PER_LISTING;
    let sorted: Vec<DateTime<Utc>> = (0..40_000)
        .map(|i| t(0) + chrono::Duration::seconds(i))
        .collect();
    let bounds = full::split_bounds(&sorted, U, 8);
    assert_eq!(bounds.len(), 3, "four listings of 10,000 users");
    assert_eq!(bounds[0], t(0) + chrono::Duration::seconds(10_000));
    assert_eq!(
        full::split_bounds(&sorted, U, 2).len(),
        1,
        "at most max listings"
    );
    assert!(
        full::split_bounds(&sorted[..19_999], U, 8).is_empty(),
        "too few users: the plain listing costs fewer requests"
    );
    // Every user at one instant: nothing to split by.
    assert!(full::split_bounds(&vec![t(0); 40_000], U, 8).is_empty());
}

#[test]
fn a_listing_is_worth_its_own_range_at_ten_thousand_users_and_never_more_than_max() {
    const U: usize = full::USERS_PER_LISTING;
    assert_eq!(full::listings_for(0, U, 8), 1);
    assert_eq!(full::listings_for(19_999, U, 8), 1);
    assert_eq!(full::listings_for(20_000, U, 8), 2);
    assert_eq!(full::listings_for(99_030, U, 8), 8);
    assert_eq!(full::listings_for(1_000_000, U, 8), 8);
    assert_eq!(full::listings_for(1_000_000, U, 0), 1);
}

#[test]
fn the_fingerprint_follows_the_mapping_and_the_anchor_but_not_where_they_are_written() {
    let mut mapping = crate::plan::Policy::empty_mapping();
    let a = Policy::with_defaults(mapping.clone());
    mapping
        .origins
        .insert("title".into(), "hrsync.toml:31".into());
    let moved = Policy::with_defaults(mapping);
    assert_eq!(fingerprint(&a), fingerprint(&moved));
    let mut other_anchor = a.clone();
    other_anchor.anchor_attribute = "hrEmployeeId".into();
    assert_ne!(fingerprint(&a), fingerprint(&other_anchor));
    assert!(kept_attributes(&other_anchor).contains("hrEmployeeId"));
}
