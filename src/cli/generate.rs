//! `hrsync generate man DIR` and `hrsync generate completions DIR` (hidden: for packaging):
//! the man pages (`hrsync.1` and one per command, `hrsync-sync.1`, …) with `clap_mangen`, and
//! bash, zsh and fish completions (`hrsync.bash`, `_hrsync`, `hrsync.fish`) with
//! `clap_complete`, all from the command-line definition, so they never drift from it.
//!
//! It writes only into `DIR` (created if missing) and reads no configuration.

use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `hrsync generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[arg(value_enum)]
    pub what: Artifact,
    /// The folder to write into (created if missing).
    pub dir: PathBuf,
}

/// What `hrsync generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Artifact {
    /// Man pages, section 1.
    Man,
    /// Shell completions for bash, zsh and fish.
    Completions,
}

/// Why generating failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The folder or a file in it could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The completion files: shell and file name, as the Debian paths expect them.
pub const COMPLETIONS: [(Shell, &str); 3] = [
    (Shell::Bash, "hrsync.bash"),
    (Shell::Zsh, "_hrsync"),
    (Shell::Fish, "hrsync.fish"),
];

/// Writes the artifacts into `args.dir` and lists the files written on `out`.
pub fn run(args: &GenerateArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let written = match args.what {
        Artifact::Man => man(&args.dir)?,
        Artifact::Completions => completions(&args.dir)?,
    };
    for path in written {
        writeln!(out, "{}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn create_dir(dir: &Path) -> Result<(), GenerateError> {
    std::fs::create_dir_all(dir).map_err(|source| GenerateError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `hrsync.1` and a page per visible command (`hrsync-check.1`, …); returns the
/// files written, sorted.
pub fn man(dir: &Path) -> Result<Vec<PathBuf>, GenerateError> {
    create_dir(dir)?;
    let failed = |source| GenerateError::Write {
        path: dir.to_path_buf(),
        source,
    };
    clap_mangen::generate_to(super::Cli::command(), dir).map_err(failed)?;
    let mut written: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(failed)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "1"))
        .collect();
    written.sort();
    Ok(written)
}

/// Writes the bash, zsh and fish completions; returns the files written.
pub fn completions(dir: &Path) -> Result<Vec<PathBuf>, GenerateError> {
    create_dir(dir)?;
    let mut written = Vec::new();
    for (shell, file) in COMPLETIONS {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut super::Cli::command(), "hrsync", &mut script);
        let path = dir.join(file);
        std::fs::write(&path, &script).map_err(|source| GenerateError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
