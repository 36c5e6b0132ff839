use super::*;

#[test]
fn a_missing_or_garbage_proof_is_invalid() {
    let mut used = UsedProofs::default();
    let e = Expect {
        htm: "GET",
        htu: "http://x/api/v1/users",
        nonce: None,
        access_token: None,
        bound_jkt: None,
    };
    assert!(matches!(
        verify(None, e, &mut used, Utc::now()),
        Err(ProofError::Invalid(_))
    ));
    assert!(matches!(
        verify(Some("a.b.c"), e, &mut used, Utc::now()),
        Err(ProofError::Invalid(_))
    ));
}

#[test]
fn used_proof_ids_are_refused_and_old_ones_eventually_forgotten() {
    let mut used = UsedProofs::default();
    let now = 1_000_000;
    assert!(used.insert("a".into(), now, now));
    assert!(!used.insert("a".into(), now, now));
    for i in 0..=PRUNE_ABOVE {
        used.insert(format!("old{i}"), now - 10_000, now);
    }
    used.insert("trigger".into(), now, now);
    assert!(used.0.len() < 10, "{}", used.0.len());
    assert!(!used.insert("a".into(), now, now), "fresh ids are kept");
}

#[test]
fn ath_is_base64url_sha256() {
    assert_eq!(ath("tok").len(), 43);
    assert!(!ath("tok").contains('='));
}
