use super::*;

/// PostgreSQL's binary NUMERIC for `ndigits, weight, sign, dscale, digits...`.
fn numeric(weight: i16, negative: bool, dscale: u16, digits: &[u16]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((digits.len() as u16).to_be_bytes());
    out.extend(weight.to_be_bytes());
    out.extend(if negative { 0x4000u16 } else { 0 }.to_be_bytes());
    out.extend(dscale.to_be_bytes());
    for d in digits {
        out.extend(d.to_be_bytes());
    }
    out
}

#[test]
fn numerics_are_written_as_postgresql_prints_them() {
    assert_eq!(
        numeric_text(&numeric(0, false, 0, &[1234])).unwrap(),
        "1234"
    );
    assert_eq!(
        numeric_text(&numeric(1, true, 2, &[1, 2345, 5000])).unwrap(),
        "-12345.50"
    );
    assert_eq!(
        numeric_text(&numeric(-1, false, 3, &[50])).unwrap(),
        "0.005"
    );
    assert_eq!(numeric_text(&numeric(0, false, 2, &[])).unwrap(), "0.00");
    assert_eq!(
        numeric_text(&numeric(2, false, 0, &[7])).unwrap(),
        "700000000"
    );
}

#[test]
fn a_nan_or_cut_short_numeric_is_an_error_not_a_panic() {
    let mut nan = numeric(0, false, 0, &[]);
    nan[4] = 0xC0;
    assert!(numeric_text(&nan).unwrap_err().to_string().contains("NaN"));
    assert!(numeric_text(&[0, 3, 0]).is_err());
    assert!(numeric_text(&numeric(0, false, 0, &[10_000])).is_err());
}

#[test]
fn floats_are_shortest_and_whole_ones_have_no_fraction() {
    assert_eq!(float_text(3.0).unwrap(), "3");
    assert_eq!(float_text(0.1).unwrap(), "0.1");
    assert_eq!(float_text(-2.5).unwrap(), "-2.5");
    assert!(float_text(f64::NAN).is_err());
    assert!(float_text(f64::INFINITY).is_err());
}

#[test]
fn instants_are_rfc3339_utc_and_naive_stamps_have_no_offset() {
    let t = chrono::NaiveDate::from_ymd_opt(2024, 5, 1)
        .unwrap()
        .and_hms_opt(8, 30, 0)
        .unwrap();
    assert_eq!(naive_text(t), "2024-05-01T08:30:00");
    assert_eq!(utc_text(t.and_utc()), "2024-05-01T08:30:00Z");
    let with_ms = t + chrono::Duration::milliseconds(250);
    assert_eq!(naive_text(with_ms), "2024-05-01T08:30:00.250");
    assert_eq!(utc_text(with_ms.and_utc()), "2024-05-01T08:30:00.250Z");
}

#[test]
fn uuids_are_lower_case_and_hyphenated() {
    let raw: Vec<u8> = (0u8..16).collect();
    assert_eq!(
        uuid_text(&raw).unwrap(),
        "00010203-0405-0607-0809-0a0b0c0d0e0f"
    );
    assert!(uuid_text(&raw[..3]).is_err());
}
