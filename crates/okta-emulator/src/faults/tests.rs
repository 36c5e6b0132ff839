use super::*;

#[test]
fn certain_and_impossible_rolls_are_deterministic() {
    assert!(roll(1.0));
    assert!(!roll(0.0));
    assert!(!roll(f64::NAN));
}

#[test]
fn a_forced_burst_runs_out() {
    let mut f = Faults {
        forced_429: 2,
        ..Faults::default()
    };
    assert!(take_forced_429(&mut f));
    assert!(take_forced_429(&mut f));
    assert!(!take_forced_429(&mut f));
}

#[test]
fn latency_stays_within_fixed_plus_jitter() {
    let f = Faults {
        latency_ms: 10,
        jitter_ms: 5,
        ..Faults::default()
    };
    for _ in 0..50 {
        let d = latency(&f).as_millis();
        assert!((10..=15).contains(&d));
    }
}

#[test]
fn a_full_error_rate_always_gives_a_5xx() {
    let f = Faults {
        error_rate: 1.0,
        ..Faults::default()
    };
    let e = server_error(&f).unwrap();
    assert!(e.status.is_server_error());
}
