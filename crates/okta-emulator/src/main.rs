//! `okta-emulator`: runs the in-memory Okta Users API emulator as a local server, so a
//! configuration can be tried safely before hrsync is pointed at a real org. Keeps nothing on
//! disk; stops on Ctrl-C / SIGTERM.

use anyhow::Context;
use clap::Parser;
use okta_emulator::{ApiToken, Emulator, EmulatorConfig, Faults, RateLimits};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A faithful in-memory Okta Users API for trying hrsync without a real org.
#[derive(Debug, Parser)]
#[command(name = "okta-emulator", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,
    /// SSWS API token clients must send (`Authorization: SSWS <token>`); repeat for more.
    #[arg(long, required = true)]
    token: Vec<String>,
    /// A JSON file holding an array of users to load at start (any status, any profile).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Requests per minute for every rate-limit bucket (before the per-token share).
    #[arg(long)]
    rate_limit_per_minute: Option<u32>,
    /// Share of each bucket one token may use.
    #[arg(long, default_value_t = 0.5)]
    share: f64,
    /// Org-wide limit of in-flight requests.
    #[arg(long, default_value_t = 75)]
    concurrency: u32,
    /// Latency added to every API response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of API requests answered with 500/503 (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// A custom profile attribute declared in the user schema as a string; repeat for more.
    /// (Typed and unique properties: add them with `POST /api/v1/meta/schemas/user/default`.)
    #[arg(long = "custom-attribute")]
    custom_attributes: Vec<String>,
    /// `search`/`filter` see writes only after this many milliseconds (Okta's eventually
    /// consistent index); get-by-id is always fresh.
    #[arg(long, default_value_t = 0)]
    search_lag_ms: u64,
    /// Login of the user owning the tokens (answers `GET /api/v1/users/me`).
    #[arg(long)]
    token_owner: Option<String>,
}

fn config(args: &Args) -> anyhow::Result<EmulatorConfig> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.share),
        "--share must be between 0 and 1"
    );
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.error_rate),
        "--error-rate must be between 0 and 1"
    );
    let mut cfg = EmulatorConfig::with_token("");
    cfg.tokens = args
        .token
        .iter()
        .map(|t| ApiToken {
            token: t.clone(),
            ..ApiToken::default()
        })
        .collect();
    if let Some(n) = args.rate_limit_per_minute {
        cfg.limits = RateLimits::uniform(n);
    }
    cfg.share = args.share;
    cfg.concurrency = args.concurrency;
    cfg.faults = Faults {
        latency_ms: args.latency_ms,
        error_rate: args.error_rate,
        search_lag_ms: args.search_lag_ms,
        ..Faults::default()
    };
    cfg.custom_attributes = args.custom_attributes.clone();
    cfg.token_owner_login = args.token_owner.clone();
    Ok(cfg)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let cfg = config(&args)?;
    let seed: Option<Vec<serde_json::Value>> = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading seed file {}", path.display()))?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("{} is not a JSON array of users", path.display()))?,
            )
        }
        None => None,
    };
    let emu = Emulator::start_on(args.listen, cfg)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    if let Some(users) = seed {
        emu.seed(users);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", emu.base_url())?;
    out.flush()?;
    drop(out);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r?,
        _ = term.recv() => {}
    }
    emu.shutdown().await;
    Ok(())
}
