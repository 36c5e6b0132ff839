//! `[journal]`: where the journal lives, deserialized directly into [`JournalConfig`]:
//! `path` (an SQLite file, the default) or `url` (a secret reference whose value is a
//! `postgres://` URL, password included), never both. Without either the SQLite file is
//! `$STATE_DIRECTORY/journal.db` (systemd's `StateDirectory=`), else
//! `/var/lib/hrsync/journal.db`.
//!
//! Reads only the URL's secret and `$STATE_DIRECTORY`; opens nothing.

use super::value;
use crate::db::{DbTarget, Engine};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::path::PathBuf;

/// The journal's path when neither the key nor `$STATE_DIRECTORY` is set.
pub const DEFAULT_JOURNAL: &str = "/var/lib/hrsync/journal.db";

/// `[journal]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, try_from = "JournalKeys")]
pub struct JournalConfig {
    /// The SQLite file (used when there is no `url`). With a `url` it names the local run
    /// lock's place only (`journal.db.lock` beside it).
    pub path: PathBuf,
    /// The PostgreSQL journal, when `url` is set.
    pub url: Option<DbTarget>,
}

/// `[journal]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalKeys {
    /// SQLite file, relative to the config file's folder.
    #[serde(default, deserialize_with = "optional_path")]
    path: Option<PathBuf>,
    /// `{ env = "HRSYNC_JOURNAL_URL" }` (or file / credential): a `postgres://` URL.
    #[serde(default, deserialize_with = "optional_postgres")]
    url: Option<DbTarget>,
}

impl TryFrom<JournalKeys> for JournalConfig {
    type Error = String;

    fn try_from(keys: JournalKeys) -> Result<Self, String> {
        match (keys.path, keys.url) {
            (Some(_), Some(_)) => {
                Err("give path (an SQLite file) or url (PostgreSQL), not both".to_owned())
            }
            (path, url) => Ok(JournalConfig {
                path: path.unwrap_or_else(default_path),
                url,
            }),
        }
    }
}

impl JournalConfig {
    /// `[journal]` when the section is absent: the default SQLite file, `$STATE_DIRECTORY`
    /// looked up with `env`.
    pub fn default_with(env: &dyn Fn(&str) -> Option<String>) -> JournalConfig {
        JournalConfig {
            path: state_path(env),
            url: None,
        }
    }

    /// Where the journal is, for people: the file, or the URL with its user info masked.
    pub fn location(&self) -> String {
        match &self.url {
            Some(url) => url.shown().to_owned(),
            None => self.path.display().to_string(),
        }
    }
}

fn state_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    match env("STATE_DIRECTORY")
        .and_then(|d| d.split(':').next().map(str::to_owned))
        .filter(|d| !d.is_empty())
    {
        Some(dir) => PathBuf::from(dir).join("journal.db"),
        None => PathBuf::from(DEFAULT_JOURNAL),
    }
}

fn default_path() -> PathBuf {
    state_path(&|name| value::env_var(name))
}

fn optional_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    value::path(d).map(Some)
}

fn optional_postgres<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DbTarget>, D::Error> {
    let secret = super::Secret::deserialize(d)?;
    let target = DbTarget::parse(secret.expose()).map_err(de::Error::custom)?;
    if target.engine != Engine::Postgres {
        return Err(de::Error::custom(format!(
            "the journal runs on PostgreSQL only; {} is a {} URL (expected postgres://)",
            target.shown(),
            target.engine.name()
        )));
    }
    Ok(Some(target))
}

#[cfg(test)]
mod tests;
