use super::*;

#[test]
fn a_day_of_churn_on_ten_thousand_changes_one_hundred_and_forty_people() {
    let base = generate::people(10_000, SEED, today());
    let day = churn_of(&base, SEED);
    assert_eq!((day.updates, day.hires, day.leavers), (100, 20, 20));
    assert_eq!(day.people.len(), 10_020);
    let changed = base.iter().zip(&day.people).filter(|(a, b)| a != b).count();
    assert_eq!(changed, 120);
    let terminated = base
        .iter()
        .zip(&day.people)
        .filter(|(a, b)| a.status == "Active" && b.status == "Terminated")
        .count();
    assert_eq!(terminated, 20);
}

#[test]
fn unknown_scenarios_are_refused() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(rt.block_on(run("nope")).is_err());
}
