use super::*;

#[test]
fn an_id_is_trimmed_and_nfc_normalised_so_nfd_and_nfc_are_one_id() {
    let nfc = EmployeeId::parse(" Zo\u{e9}-7 ").unwrap();
    let nfd = EmployeeId::parse("Zoe\u{301}-7").unwrap();
    assert_eq!(nfc, nfd);
    assert_eq!(nfd.as_str(), "Zo\u{e9}-7");
}

#[test]
fn leading_zeros_stay_significant() {
    assert_ne!(
        EmployeeId::parse("01000").unwrap(),
        EmployeeId::parse("1000").unwrap()
    );
}

#[test]
fn an_id_that_reads_as_a_decimal_number_is_refused_with_the_fix() {
    for raw in ["1000.0", "12.5", "-3.25"] {
        let err = EmployeeId::parse(raw).unwrap_err();
        assert_eq!(err, IdError::DecimalNumber(raw.to_owned()));
        assert!(
            err.to_string().contains("export the id column as text"),
            "{err}"
        );
    }
    for ok in ["1000", "A.1", "1.2.3", "v1.0-beta"] {
        assert!(EmployeeId::parse(ok).is_ok(), "{ok}");
    }
}

#[test]
fn a_whole_json_number_is_written_in_its_shortest_integer_form() {
    let text = |json: &str| number_text(&serde_json::from_str(json).unwrap());
    assert_eq!(text("1000"), "1000");
    assert_eq!(text("1000.0"), "1000");
    assert_eq!(text("1e3"), "1000");
    assert_eq!(text("-7.0"), "-7");
    assert_eq!(text("3401928374650192837"), "3401928374650192837");
    assert_eq!(text("1000.5"), "1000.5");
    assert_eq!(
        text("1e300"),
        "1e+300",
        "too large to be exact: left as JSON writes it"
    );
}

#[test]
fn an_email_is_trimmed_and_lower_cased() {
    assert_eq!(
        Email::parse("  Ada.Kowalski@Example.COM ")
            .unwrap()
            .as_str(),
        "ada.kowalski@example.com"
    );
}

#[test]
fn malformed_emails_are_refused_with_a_reason() {
    for bad in [
        "",
        "ada",
        "ada@",
        "@example.com",
        "a@b@c.com",
        "ada@example",
        "ada@.com",
        "a b@x.com",
        "a\u{202E}@x.com",
    ] {
        assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn employee_ids_refuse_empty_and_control_characters() {
    assert_eq!(EmployeeId::parse("  "), Err(IdError::Empty));
    assert!(matches!(
        EmployeeId::parse("12\u{0}3"),
        Err(IdError::ControlCharacter(0))
    ));
    assert_eq!(EmployeeId::parse(" 1042 ").unwrap().as_str(), "1042");
}
