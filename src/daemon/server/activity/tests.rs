use super::*;

fn limits() -> Limits {
    Limits {
        max_connections: 4,
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
    }
}

#[tokio::test(start_paused = true)]
async fn a_first_request_head_must_arrive_within_the_header_timeout_of_the_accept() {
    let a = Activity::new();
    tokio::time::advance(Duration::from_secs(5)).await;
    a.read(); // a trickled byte does not restart the head's clock
    tokio::time::advance(Duration::from_millis(4_999)).await;
    assert_eq!(a.expired(&limits(), Instant::now()), None);
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(
        a.expired(&limits(), Instant::now()),
        Some(ConnectionTimeout::Header)
    );
}

#[tokio::test(start_paused = true)]
async fn a_keep_alive_connection_may_idle_until_the_idle_timeout() {
    let a = Activity::new();
    a.enter(Phase::Busy);
    a.enter(Phase::Idle);
    a.wrote();
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(a.expired(&limits(), Instant::now()), None);
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(
        a.expired(&limits(), Instant::now()),
        Some(ConnectionTimeout::Idle)
    );
}

#[tokio::test(start_paused = true)]
async fn the_first_byte_after_a_response_starts_the_next_heads_clock() {
    let a = Activity::new();
    a.enter(Phase::Idle);
    tokio::time::advance(Duration::from_secs(30)).await;
    a.read();
    tokio::time::advance(Duration::from_secs(10)).await;
    assert_eq!(
        a.expired(&limits(), Instant::now()),
        Some(ConnectionTimeout::Header)
    );
}

#[tokio::test(start_paused = true)]
async fn a_request_body_must_arrive_within_the_header_timeout_of_its_head() {
    let a = Activity::new();
    a.enter(Phase::Busy);
    tokio::time::advance(Duration::from_secs(9)).await;
    a.read();
    assert_eq!(a.expired(&limits(), Instant::now()), None);
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(
        a.expired(&limits(), Instant::now()),
        Some(ConnectionTimeout::Header)
    );
}

#[tokio::test(start_paused = true)]
async fn limits_too_large_to_add_never_overflow_and_are_looked_at_hourly() {
    let huge = Limits {
        max_connections: usize::MAX,
        header_timeout: Duration::MAX,
        idle_timeout: Duration::MAX,
    };
    let a = Activity::new();
    assert!(a.deadline(&huge) <= Instant::now() + RECHECK);
    assert_eq!(a.expired(&huge, Instant::now()), None);
}

#[tokio::test(start_paused = true)]
async fn a_silent_connection_is_closed_by_the_shorter_of_the_two_timeouts() {
    let short_idle = Limits {
        idle_timeout: Duration::from_secs(3),
        ..limits()
    };
    let a = Activity::new();
    tokio::time::advance(Duration::from_secs(3)).await;
    assert_eq!(
        a.expired(&short_idle, Instant::now()),
        Some(ConnectionTimeout::Idle)
    );
}
