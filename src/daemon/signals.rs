//! Unix signals → daemon requests: SIGTERM and SIGINT ask for a graceful shutdown (finish the
//! action in flight, then exit), SIGHUP asks for a configuration reload between runs.
//!
//! This module only translates signals into [`DaemonHandle`] calls; what a shutdown or a
//! reload does is the scheduling loop's business.

use super::DaemonHandle;
use tokio::signal::unix::{SignalKind, signal};
use tokio::task::JoinHandle;

/// Installs the handlers and forwards signals to `handle` until the task is aborted. Fails
/// only if the handlers cannot be installed.
pub fn forward_signals(handle: DaemonHandle) -> std::io::Result<JoinHandle<()>> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    Ok(tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(()) = term.recv() => {
                    tracing::info!(signal = "SIGTERM", "shutdown requested");
                    handle.shutdown();
                }
                Some(()) = int.recv() => {
                    tracing::info!(signal = "SIGINT", "shutdown requested");
                    handle.shutdown();
                }
                Some(()) = hup.recv() => {
                    tracing::info!(signal = "SIGHUP", "configuration reload requested");
                    handle.reload();
                }
                else => break,
            }
        }
    }))
}
