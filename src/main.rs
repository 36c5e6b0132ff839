//! The `hrsync` command: parse the command line, set up logging, run the command, and map the
//! outcome to an exit code (0 success, 1 error; commands may return other codes they document).

use clap::Parser;
use hrsync::cli::{self, Cli};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Err(e) = hrsync::telemetry::init(cli.log_format, cli.verbose) {
        eprintln!("hrsync: {e}");
        return ExitCode::FAILURE;
    }
    match cli::run(&cli).await {
        Ok(code) => code,
        Err(e) => {
            if cli.log_format == hrsync::telemetry::LogFormat::Json {
                tracing::error!(error = %format!("{e:#}"), "command failed");
            }
            eprintln!("hrsync: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
