//! A connection's timing for [`super`]'s timeouts: which phase of a request cycle it is in
//! (a head arriving, a request being served, idle between requests), since when, and when a
//! byte last moved; and the socket wrapper that reports reads and writes.
//!
//! It only keeps time; closing the connection is the server's decision.

use super::Limits;
use crate::daemon::metrics::edge::ConnectionTimeout;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// Longest sleep between two looks at a connection's limits (however large they are).
const RECHECK: Duration = Duration::from_secs(3600);

/// Where a connection is in its request cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Phase {
    /// A request's head is arriving (or the first one is awaited).
    Head = 0,
    /// The head is in; the body is read and the handler runs.
    Busy = 1,
    /// Between requests (keep-alive), or writing a response.
    Idle = 2,
}

/// A connection's timing, shared by its I/O and its service (all polled on one task).
#[derive(Debug)]
pub(super) struct Activity {
    /// Instants below are milliseconds after this.
    origin: Instant,
    /// The current [`Phase`].
    phase: AtomicU8,
    /// When the current phase began.
    since: AtomicU64,
    /// When a byte was last read or written.
    last_io: AtomicU64,
}

impl Activity {
    /// A fresh connection awaiting its first request head.
    pub(super) fn new() -> Self {
        Self {
            origin: Instant::now(),
            phase: AtomicU8::new(Phase::Head as u8),
            since: AtomicU64::new(0),
            last_io: AtomicU64::new(0),
        }
    }

    /// Milliseconds since `origin`.
    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The current phase, as its `u8`.
    pub(super) fn phase(&self) -> u8 {
        self.phase.load(Ordering::Relaxed)
    }

    /// Enters `phase` now.
    pub(super) fn enter(&self, phase: Phase) {
        self.since.store(self.now_ms(), Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    /// Bytes were read: the first byte after a response starts the next request's head.
    fn read(&self) {
        let now = self.now_ms();
        self.last_io.store(now, Ordering::Relaxed);
        if self.phase.load(Ordering::Relaxed) == Phase::Idle as u8 {
            self.since.store(now, Ordering::Relaxed);
            self.phase.store(Phase::Head as u8, Ordering::Relaxed);
        }
    }

    /// Bytes were written.
    fn wrote(&self) {
        self.last_io.store(self.now_ms(), Ordering::Relaxed);
    }

    /// The earliest instant at which a limit may be over, and which one.
    fn next_limit(&self, limits: &Limits) -> (u64, ConnectionTimeout) {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let idle = self
            .last_io
            .load(Ordering::Relaxed)
            .saturating_add(ms(limits.idle_timeout));
        if self.phase.load(Ordering::Relaxed) == Phase::Idle as u8 {
            return (idle, ConnectionTimeout::Idle);
        }
        let header = self
            .since
            .load(Ordering::Relaxed)
            .saturating_add(ms(limits.header_timeout));
        if header <= idle {
            (header, ConnectionTimeout::Header)
        } else {
            (idle, ConnectionTimeout::Idle)
        }
    }

    /// When to look again.
    pub(super) fn deadline(&self, limits: &Limits) -> Instant {
        let (at, _) = self.next_limit(limits);
        let latest = Instant::now() + RECHECK;
        self.origin
            .checked_add(Duration::from_millis(at))
            .map_or(latest, |at| at.min(latest))
    }

    /// The limit that is over at `now`, if any.
    pub(super) fn expired(&self, limits: &Limits, now: Instant) -> Option<ConnectionTimeout> {
        let (at, why) = self.next_limit(limits);
        let now = u64::try_from(now.duration_since(self.origin).as_millis()).unwrap_or(u64::MAX);
        (now >= at).then_some(why)
    }
}

/// A TCP stream that reports reads and writes to its connection's [`Activity`].
pub(super) struct Watched {
    /// The socket.
    pub(super) inner: TcpStream,
    /// Where progress is recorded.
    pub(super) activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests;
