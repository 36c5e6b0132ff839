use super::*;

#[test]
fn counts_are_kept_per_class_and_outcome() {
    let c = Counters::default();
    c.record(EndpointClass::Create, RequestOutcome::Success);
    c.record(EndpointClass::Create, RequestOutcome::Success);
    c.record(EndpointClass::Create, RequestOutcome::RateLimited);
    c.record(EndpointClass::List, RequestOutcome::Transport);
    c.record_retry();
    let s = c.snapshot();
    assert_eq!(s.count(EndpointClass::Create, RequestOutcome::Success), 2);
    assert_eq!(s.class_total(EndpointClass::Create), 3);
    assert_eq!(s.outcome_total(RequestOutcome::Transport), 1);
    assert_eq!((s.total(), s.retries, s.rows.len()), (4, 1, 3));
}

#[test]
fn statuses_map_to_outcomes() {
    assert_eq!(RequestOutcome::of_status(200), RequestOutcome::Success);
    assert_eq!(RequestOutcome::of_status(204), RequestOutcome::Success);
    assert_eq!(RequestOutcome::of_status(404), RequestOutcome::ClientError);
    assert_eq!(RequestOutcome::of_status(429), RequestOutcome::RateLimited);
    assert_eq!(RequestOutcome::of_status(503), RequestOutcome::ServerError);
}
