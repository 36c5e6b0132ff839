use super::*;

#[test]
fn an_empty_listing_still_costs_one_page_and_200_users_cost_one() {
    assert_eq!(pages(0), 1);
    assert_eq!(pages(200), 1);
    assert_eq!(pages(201), 2);
    assert_eq!(pages(100_000), 500);
}

#[test]
fn the_initial_load_bound_is_about_a_minute_at_ten_thousand_a_minute() {
    let m = Minimum::of(0, 0, 10_000, 0, 0);
    assert_eq!(
        m.total(),
        10_003,
        "two empty listings, the schema, the creates"
    );
    let bound = m.bound_s(10_000, 60.0);
    assert!((bound - 60.012).abs() < 1e-9, "{bound}");
}

#[test]
fn the_bound_follows_the_busiest_bucket() {
    let m = Minimum::of(10_000, 0, 0, 0, 300);
    assert_eq!(m.list_create, 51);
    assert!((m.bound_s(100, 60.0) - 180.0).abs() < 1e-9);
}

#[test]
fn medians_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    assert!(median(&[]).is_nan());
}

#[test]
fn a_run_with_no_minimum_and_no_requests_has_ratio_one() {
    let f = Figures::default();
    assert_eq!(f.ratio(), 1.0);
    let g = Figures {
        total: 3,
        minimum: 2,
        ..Figures::default()
    };
    assert_eq!(g.ratio(), 1.5);
}
