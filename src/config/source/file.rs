//! `[source] type = "file"`: a CSV or JSON file, deserialized directly into its typed form
//! (the path resolved against the config file's folder, the format from the `format` key or
//! the file's extension, the CSV delimiter).
//!
//! Reads nothing: the file itself is read by `source::file` when a run fetches.

use crate::config::value;
use serde::Deserialize;
use std::path::PathBuf;

/// A file source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSourceConfig {
    /// Absolute path of the file.
    #[serde(deserialize_with = "value::path")]
    pub path: PathBuf,
    /// CSV or JSON: the `format` key, else the file's extension (see
    /// [`FileSourceConfig::finish`]).
    #[serde(default)]
    pub format: Option<FileFormat>,
    /// CSV field delimiter: `","` (default), `";"` or a tab.
    #[serde(default)]
    pub delimiter: Delimiter,
}

/// File formats of the file source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Header row plus records.
    Csv,
    /// A JSON array of objects.
    Json,
}

/// A CSV delimiter: one of the characters HR exports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(pub u8);

impl Default for Delimiter {
    fn default() -> Self {
        Self(b',')
    }
}

impl<'de> Deserialize<'de> for Delimiter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "," => Ok(Self(b',')),
            ";" => Ok(Self(b';')),
            "\t" => Ok(Self(b'\t')),
            other => Err(serde::de::Error::custom(format!(
                "{other:?} is not accepted; expected \",\", \";\" or \"\\t\""
            ))),
        }
    }
}

impl FileSourceConfig {
    /// Settles the format from the extension when no `format` was given; the problem, by
    /// key, when the name does not tell.
    pub fn finish(&mut self) -> Result<(), (&'static str, String)> {
        if self.format.is_some() {
            return Ok(());
        }
        let extension = self
            .path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        self.format = match extension.as_deref() {
            Some("csv") => Some(FileFormat::Csv),
            Some("json") => Some(FileFormat::Json),
            _ => {
                let msg =
                    "cannot tell the format from the file name; set format = \"csv\" or \"json\"";
                return Err(("path", msg.to_owned()));
            }
        };
        Ok(())
    }

    /// The file's format (settled by [`FileSourceConfig::finish`] while loading).
    pub fn format(&self) -> FileFormat {
        self.format.unwrap_or(FileFormat::Csv)
    }
}
