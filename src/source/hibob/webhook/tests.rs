use super::*;

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

const BODY: &[u8] = br#"{ "companyId": 600123, "type": "employee.updated", "triggeredBy": "3401928374650100001",
  "triggeredAt": "2026-02-03T09:15:42.123456", "version": "v2",
  "data": { "employeeId": "3401928374650192837", "fieldUpdates": ["work.title", "work.department"] } }"#;

#[test]
fn a_correctly_signed_body_is_accepted() {
    let secret = Secret::new("whsec-test");
    assert!(verify_signature(
        &secret,
        BODY,
        Some(&sign("whsec-test", BODY))
    ));
}

#[test]
fn a_known_hmac_sha512_vector_verifies() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    let expected_hex = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
    let bytes: Vec<u8> = (0..expected_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&expected_hex[i..i + 2], 16).unwrap())
        .collect();
    let header = STANDARD.encode(bytes);
    let secret = Secret::new("Jefe");
    assert!(verify_signature(
        &secret,
        b"what do ya want for nothing?",
        Some(&header)
    ));
}

#[test]
fn unsigned_wrongly_signed_tampered_and_garbled_requests_are_refused() {
    let secret = Secret::new("whsec-test");
    let good = sign("whsec-test", BODY);
    assert!(!verify_signature(&secret, BODY, None));
    assert!(!verify_signature(&secret, BODY, Some("")));
    assert!(!verify_signature(&secret, BODY, Some(&sign("other", BODY))));
    assert!(!verify_signature(
        &secret,
        b"{\"type\":\"employee.deleted\"}",
        Some(&good)
    ));
    assert!(!verify_signature(&secret, BODY, Some("not base64 !!!")));
    assert!(!verify_signature(
        &secret,
        BODY,
        Some(&good[..good.len() - 4])
    ));
}

#[test]
fn a_delivery_is_keyed_by_the_sha256_of_its_body() {
    assert_eq!(delivery_key(BODY), delivery_key(BODY));
    assert_ne!(delivery_key(BODY), delivery_key(&BODY[1..]));
    // SHA-256("abc"), FIPS 180-2.
    assert_eq!(delivery_key(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf],);
}

#[test]
fn an_employee_update_event_names_its_employee() {
    let event = parse_event(BODY).unwrap();
    assert_eq!(event.kind, BobEventKind::EmployeeUpdated);
    assert_eq!(event.employee_id.unwrap().as_str(), "3401928374650192837");
    assert_eq!(
        event.triggered_at.as_deref(),
        Some("2026-02-03T09:15:42.123456")
    );
    assert!(parse_event(BODY).unwrap().should_trigger_run());
}

#[test]
fn lifecycle_table_and_unknown_events_are_classified() {
    let body = |t: &str| {
        format!(r#"{{"companyId":600123,"type":"{t}","version":"v2","data":{{"employeeId":42}}}}"#)
    };
    for (t, kind) in [
        ("employee.joined", BobEventKind::EmployeeJoined),
        ("employee.left", BobEventKind::EmployeeLeft),
        ("employee.inactivated", BobEventKind::EmployeeInactivated),
        ("employee.deleted", BobEventKind::EmployeeDeleted),
        ("employee.created", BobEventKind::EmployeeCreated),
        ("table.entry.created", BobEventKind::TableEntry),
    ] {
        let event = parse_event(body(t).as_bytes()).unwrap();
        assert_eq!(event.kind, kind, "{t}");
        assert_eq!(event.employee_id.as_ref().unwrap().as_str(), "42");
        assert!(event.should_trigger_run());
    }
    let other = parse_event(body("timeoff.request.created").as_bytes()).unwrap();
    assert_eq!(
        other.kind,
        BobEventKind::Other("timeoff.request.created".to_owned())
    );
    assert!(!other.should_trigger_run());
}

#[test]
fn bobs_ping_test_is_recognised_in_text_and_json() {
    assert_eq!(parse_event(b"Ping test").unwrap().kind, BobEventKind::Ping);
    let json = parse_event(br#"{"text":"Ping test"}"#).unwrap();
    assert_eq!(json.kind, BobEventKind::Ping);
    assert!(!json.should_trigger_run());
}

#[test]
fn malformed_bodies_are_errors_not_panics() {
    for body in [
        &b""[..],
        b"{",
        b"[]",
        br#"{"data":{}}"#,
        br#"{"type":"employee.updated","data":{"employeeId":{"x":1}}}"#,
        br#"{"type":"employee.updated","data":{"employeeId":"  "}}"#,
    ] {
        assert!(
            parse_event(body).is_err(),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}
