use super::*;

#[derive(Debug, serde::Deserialize)]
struct Probe {
    #[serde(deserialize_with = "number::<0, 100, _>")]
    percent: f64,
    #[serde(deserialize_with = "int::<1, 600, u32, _>")]
    count: u32,
}

fn probe(text: &str) -> Result<Probe, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn numbers_in_range_are_read_and_an_integer_counts_as_a_number() {
    let p = probe(r#"{"percent": 5, "count": 600}"#).unwrap();
    assert!((p.percent - 5.0).abs() < f64::EPSILON);
    assert_eq!(p.count, 600);
}

#[test]
fn numbers_out_of_range_name_the_range() {
    let e = probe(r#"{"percent": 100.5, "count": 1}"#).unwrap_err();
    assert!(
        e.contains("100.5 is out of range; expected a number from 0 up to 100"),
        "{e}"
    );
    let e = probe(r#"{"percent": 1, "count": 0}"#).unwrap_err();
    assert!(e.contains("0 is out of range; expected 1 to 600"), "{e}");
}
