use super::*;
use std::collections::BTreeMap;

fn run(total: u64, wall: f64) -> Figures {
    Figures {
        scenario: "steady-10k".into(),
        requests: BTreeMap::from([("list".to_owned(), total)]),
        total,
        minimum: 50,
        wall_s: wall,
        bound_s: 1.0,
        ..Figures::default()
    }
}

#[test]
fn the_table_shows_medians_and_ranges_of_differing_counts() {
    let table = markdown(&[vec![run(50, 3.0), run(52, 1.0), run(50, 2.0)]]);
    let row = table.lines().nth(2).unwrap();
    assert!(row.contains("| list 50–52 |"), "{row}");
    assert!(row.contains("| 2.00 |"), "{row}");
    assert!(row.contains("| 1.000 |"), "{row}");
}

#[test]
fn one_line_mentions_the_ratio() {
    assert!(one_line(&run(100, 2.0)).contains("ratio 2.000"));
}
