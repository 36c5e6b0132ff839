use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

#[test]
fn the_same_seed_gives_the_same_people_and_another_seed_does_not() {
    assert_eq!(people(500, 7, today()), people(500, 7, today()));
    assert_ne!(people(500, 7, today()), people(500, 8, today()));
}

#[test]
fn the_mix_has_every_kind_in_roughly_the_stated_share() {
    let all = people(20_000, 1, today());
    let share = |k: Kind| all.iter().filter(|p| p.kind == k).count() as f64 / 20_000.0;
    assert!((share(Kind::Started) - 0.88).abs() < 0.02);
    assert!((share(Kind::PastLeaver) - 0.05).abs() < 0.01);
    assert!((share(Kind::FutureStarter) - 0.04).abs() < 0.01);
    assert!(share(Kind::Contractor) > 0.0 && share(Kind::FutureLeaver) > 0.0);
}

#[test]
fn future_starters_start_after_today_and_past_leavers_left_before_it() {
    for p in people(5_000, 3, today()) {
        match p.kind {
            Kind::FutureStarter => assert!(p.start > today()),
            Kind::PastLeaver => assert!(p.termination.is_some_and(|t| t < today())),
            Kind::FutureLeaver => assert!(p.termination.is_some_and(|t| t > today())),
            _ => assert!(p.start < today()),
        }
    }
}

#[test]
fn the_csv_has_a_header_and_one_line_per_person() {
    let all = people(10, 5, today());
    let text = csv(&all);
    assert!(text.starts_with(HEADER));
    assert_eq!(text.lines().count(), 11);
    assert!(text.contains(&all[3].email));
}
