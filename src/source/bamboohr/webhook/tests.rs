use super::*;

fn sign(key: &str, body: &[u8], ts: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    mac.update(ts.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const BODY: &[u8] = br#"{"type":"employee.updated","timestamp":"2026-02-03T09:15:42+00:00","data":{"companyId":42,"employeeId":"1042","changedFields":["jobTitle"]}}"#;

#[test]
fn a_signed_fresh_delivery_is_accepted_and_anything_else_refused() {
    let secret = Secret::new("private-key");
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let ts = "1800000000";
    let good = sign("private-key", BODY, ts);
    let window = Duration::from_secs(300);
    let check = |body: &[u8], ts: Option<&str>, sig: Option<&str>, now| {
        verify_signature(&secret, body, ts, sig, now, window)
    };
    assert_eq!(check(BODY, Some(ts), Some(&good), now), Ok(()));
    assert_eq!(
        check(BODY, Some(ts), Some(&good.to_uppercase()), now),
        Ok(()),
        "hex case"
    );
    assert_eq!(
        check(BODY, None, Some(&good), now),
        Err(WebhookRefusal::Unsigned)
    );
    assert_eq!(
        check(BODY, Some(ts), None, now),
        Err(WebhookRefusal::Unsigned)
    );
    assert_eq!(
        check(b"{}", Some(ts), Some(&good), now),
        Err(WebhookRefusal::BadSignature)
    );
    assert_eq!(
        check(BODY, Some("1800000001"), Some(&good), now),
        Err(WebhookRefusal::BadSignature),
        "the timestamp is signed too"
    );
    let wrong = sign("other-key", BODY, ts);
    assert_eq!(
        check(BODY, Some(ts), Some(&wrong), now),
        Err(WebhookRefusal::BadSignature)
    );
    assert_eq!(
        check(BODY, Some(ts), Some(&good), now + Duration::from_secs(301)),
        Err(WebhookRefusal::Stale(300)),
        "a replay outside the window"
    );
    let iso = "2027-01-15T08:00:00Z";
    let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let sig = sign("private-key", BODY, iso);
    assert_eq!(
        check(BODY, Some(iso), Some(&sig), at),
        Ok(()),
        "RFC 3339 timestamps"
    );
}

#[test]
fn events_name_their_kind_and_employee() {
    let event = parse_event(BODY).unwrap();
    assert_eq!(event.kind, "employee.updated");
    assert_eq!(event.employee_ids[0].as_str(), "1042");
    assert!(event.should_trigger_run());
    let old = parse_event(br#"{"employees":[{"id":"7","changedFields":["status"]}]}"#).unwrap();
    assert!(old.should_trigger_run());
    assert_eq!(old.employee_ids.len(), 1);
    assert!(
        !parse_event(br#"{"type":"test"}"#)
            .unwrap()
            .should_trigger_run()
    );
    assert!(parse_event(b"nope").is_err());
}
