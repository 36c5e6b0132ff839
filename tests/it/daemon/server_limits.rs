//! The daemon's HTTP server against hostile clients, with raw sockets on 127.0.0.1 and real
//! time: clients that trickle header bytes are closed by the header timeout, an idle
//! keep-alive connection by the idle timeout, connections over the cap at once, and a stop
//! does not wait for slow clients.

use super::fake::{FakeRunner, Step, schedule};
use super::promtext;
use chrono_tz::Tz;
use hrsync::daemon::metrics::Metrics;
use hrsync::daemon::server::Limits;
use hrsync::daemon::systemd::MemoryNotifier;
use hrsync::daemon::{Daemon, DaemonError, DaemonHandle, RunStatus, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// A running daemon with a fake runner and its server on 127.0.0.1:0.
struct Served {
    addr: SocketAddr,
    handle: DaemonHandle,
    metrics: Arc<Metrics>,
    task: JoinHandle<Result<(), DaemonError>>,
}

async fn serve(limits: Limits) -> Served {
    let runner = Arc::new(FakeRunner::new(
        SystemClock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let d = Daemon::new(runner, schedule("0 0 0 1 1 *", Tz::UTC, 3600), SystemClock)
        .listener(listener)
        .server_limits(limits)
        .notifier(Arc::new(MemoryNotifier::default()));
    let (handle, metrics) = (d.handle(), d.metrics());
    let task = tokio::spawn(d.run());
    Served {
        addr,
        handle,
        metrics,
        task,
    }
}

fn limits(max: usize, header_ms: u64, idle_ms: u64) -> Limits {
    Limits {
        max_connections: max,
        header_timeout: Duration::from_millis(header_ms),
        idle_timeout: Duration::from_millis(idle_ms),
    }
}

/// The value of one sample of the daemon's metrics (0 when absent).
fn metric(m: &Metrics, key: &str) -> f64 {
    let text = m.render();
    let parsed = promtext::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    parsed.get(key).copied().unwrap_or(0.0)
}

/// Polls until the daemon's metric `key` reads `want` (5 s at most).
async fn wait_metric(m: &Metrics, key: &str, want: f64) {
    let start = Instant::now();
    while metric(m, key) != want {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{key} is {} after 5 s, not {want}",
            metric(m, key)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Reads until the peer closes (EOF or reset); returns what was read. Fails after `bound`.
async fn read_to_close(stream: &mut TcpStream, bound: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = tokio::time::timeout(bound, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the server kept the connection open past {bound:?}"
    );
    got
}

/// Opens a connection and sends the start of a request, then one header byte every 100 ms
/// until the server closes it; returns how long the connection lived.
async fn trickle(addr: SocketAddr) -> Duration {
    let start = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    // Without a header timeout this would go on for the whole 30 s.
    while start.elapsed() < Duration::from_secs(30) {
        tokio::select! {
            r = stream.read(&mut buf) => if matches!(r, Ok(0) | Err(_)) { break },
            () = tokio::time::sleep(Duration::from_millis(100)) => {
                if stream.write_all(b"a").await.is_err() {
                    break;
                }
            }
        }
    }
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_trickling_header_bytes_are_all_closed_by_the_header_timeout() {
    let s = serve(limits(256, 1000, 60_000)).await;
    let clients: Vec<_> = (0..200).map(|_| tokio::spawn(trickle(s.addr))).collect();
    let mut lived = Vec::new();
    for c in clients {
        lived.push(c.await.unwrap());
    }
    let longest = lived.iter().max().unwrap();
    let shortest = lived.iter().min().unwrap();
    println!("200 trickling clients closed after {shortest:?} to {longest:?} (header timeout 1 s)");
    assert!(
        *shortest >= Duration::from_millis(900),
        "closed before the header timeout: {shortest:?}"
    );
    assert!(
        *longest < Duration::from_secs(3),
        "a trickling client lived {longest:?}"
    );
    wait_metric(
        &s.metrics,
        "hrsync_http_connections_timed_out_total{reason=\"header\"}",
        200.0,
    )
    .await;
    wait_metric(&s.metrics, "hrsync_http_connections_open", 0.0).await;
    s.handle.shutdown();
    s.task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_closed_at_once_and_counted_and_a_freed_slot_serves_again() {
    let s = serve(limits(4, 30_000, 60_000)).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(s.addr).await.unwrap());
    }
    wait_metric(&s.metrics, "hrsync_http_connections_open", 4.0).await;

    let start = Instant::now();
    let mut extra = TcpStream::connect(s.addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = read_to_close(&mut extra, Duration::from_secs(1)).await;
    let closed_after = start.elapsed();
    println!("the 5th connection over a cap of 4 was closed after {closed_after:?}");
    assert!(answer.is_empty(), "no answer over the cap");
    assert!(
        closed_after < Duration::from_millis(500),
        "{closed_after:?}"
    );
    assert_eq!(
        metric(&s.metrics, "hrsync_http_connections_refused_total"),
        1.0
    );
    assert_eq!(metric(&s.metrics, "hrsync_http_max_connections"), 4.0);

    held.pop();
    wait_metric(&s.metrics, "hrsync_http_connections_open", 3.0).await;
    let mut again = TcpStream::connect(s.addr).await.unwrap();
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut again, Duration::from_secs(5)).await;
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    s.handle.shutdown();
    s.task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_by_the_idle_timeout_not_the_header_timeout() {
    let s = serve(limits(8, 500, 2000)).await;
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
    let answered = Instant::now();
    let rest = read_to_close(&mut stream, Duration::from_secs(10)).await;
    let idle = answered.elapsed();
    println!("an idle keep-alive connection was closed after {idle:?} (idle timeout 2 s)");
    assert!(rest.is_empty());
    assert!(
        (Duration::from_millis(1900)..Duration::from_millis(3500)).contains(&idle),
        "{idle:?}"
    );
    wait_metric(
        &s.metrics,
        "hrsync_http_connections_timed_out_total{reason=\"idle\"}",
        1.0,
    )
    .await;
    s.handle.shutdown();
    s.task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_closes_slow_and_idle_connections_at_once() {
    let s = serve(limits(64, 60_000, 60_000)).await;
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(c);
    }
    let mut idle = TcpStream::connect(s.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    assert!(idle.read(&mut buf).await.unwrap() > 0);
    wait_metric(&s.metrics, "hrsync_http_connections_open", 11.0).await;

    let start = Instant::now();
    s.handle.shutdown();
    s.task.await.unwrap().unwrap();
    let stopped = start.elapsed();
    println!("the daemon stopped {stopped:?} after the request with 11 connections open");
    assert!(stopped < Duration::from_secs(1), "{stopped:?}");
    for c in slow.iter_mut().chain([&mut idle]) {
        read_to_close(c, Duration::from_secs(1)).await;
    }
}
