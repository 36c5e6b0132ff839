//! The file HR source: a CSV file (header row; UTF-8 with or without BOM; quoted fields; `,`,
//! `;` or tab) or a JSON file (an array of objects; nested objects become dotted paths, numbers
//! and booleans become text). Each record goes through [`record::build_employee`]; a bad record
//! is rejected with `file:line: field: reason` and the rest load.
//!
//! An unreadable file or one that is not CSV/JSON at all (no header, no id column, not an
//! array) fails the whole fetch: this source never returns an empty snapshot because of an
//! error. It reads one local file and knows no HR vendor.

use super::record::{self, BuiltRecord};
use super::{HrSource, Rejected, Snapshot, SourceError};
use crate::config::{EmployeeConfig, FileFormat, FileSourceConfig};
use crate::model::Names;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// Largest file read (bytes); an HR export of 100,000 people is a few tens of MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads employees from a CSV or JSON file.
#[derive(Debug, Clone)]
pub struct FileSource {
    file: FileSourceConfig,
    employee: EmployeeConfig,
}

impl FileSource {
    /// A source reading `file` with the `[employee]` field rules.
    pub fn new(file: FileSourceConfig, employee: EmployeeConfig) -> Self {
        Self { file, employee }
    }

    /// Reads and parses the file (blocking).
    pub fn read(&self) -> Result<Snapshot, SourceError> {
        let path = &self.file.path;
        let location = path.display().to_string();
        let unreadable = |e: std::io::Error| SourceError::Unreadable {
            location: location.clone(),
            message: String::new(),
            source: Some(std::sync::Arc::new(e)),
        };
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_FILE_BYTES {
            return Err(SourceError::Malformed {
                location,
                message: format!("is {size} bytes; at most {MAX_FILE_BYTES} are read"),
            });
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        parse(
            &bytes,
            path,
            self.file.format(),
            self.file.delimiter.0,
            &self.employee,
        )
    }
}

impl HrSource for FileSource {
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let this = self.clone();
        let snapshot = tokio::task::spawn_blocking(move || this.read())
            .await
            .map_err(|e| SourceError::Unreadable {
                location: self.file.path.display().to_string(),
                message: format!("the reading task failed: {e}"),
                source: None,
            })??;
        tracing::info!(
            employees = snapshot.employees.len(),
            rejected = snapshot.rejected.len(),
            "read the HR file"
        );
        for r in &snapshot.rejected {
            tracing::debug!(rejected = %r, "HR record refused");
        }
        Ok(snapshot)
    }

    async fn expected_records(&self) -> Option<usize> {
        if self.file.format() != FileFormat::Csv {
            return None;
        }
        let path = self.file.path.clone();
        tokio::task::spawn_blocking(move || estimate_rows(&path))
            .await
            .ok()
            .flatten()
    }

    fn describe(&self) -> String {
        let format = match self.file.format() {
            FileFormat::Csv => "CSV",
            FileFormat::Json => "JSON",
        };
        format!("file {} ({format})", self.file.path.display())
    }
}

/// How much of a CSV file [`estimate_rows`] reads.
const SAMPLE_BYTES: u64 = 64 * 1024;

/// The rows of a CSV file below its header, estimated from its size and the lines of its
/// first [`SAMPLE_BYTES`] (counted exactly when that is the whole file); `None` for a file
/// that cannot be read or whose start holds no line break.
fn estimate_rows(path: &Path) -> Option<usize> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut head = Vec::new();
    file.take(SAMPLE_BYTES).read_to_end(&mut head).ok()?;
    let lines = head.iter().filter(|b| **b == b'\n').count();
    let read = head.len() as u64;
    if read >= size {
        let last_unterminated = head.last().is_some_and(|b| *b != b'\n');
        return Some((lines + usize::from(last_unterminated)).saturating_sub(1));
    }
    if lines == 0 {
        return None;
    }
    let estimate = u128::from(size) * lines as u128 / u128::from(read);
    Some(
        usize::try_from(estimate)
            .unwrap_or(usize::MAX)
            .saturating_sub(1),
    )
}

/// Parses file content into a snapshot. `path` names the file in messages.
pub fn parse(
    bytes: &[u8],
    path: &Path,
    format: FileFormat,
    delimiter: u8,
    cfg: &EmployeeConfig,
) -> Result<Snapshot, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let location = path.display().to_string();
    // Each record is built as soon as it is read, so the raw records never all exist at once.
    let mut keys = Names::default();
    // A CSV file's rows are about its lines (fewer with quoted line breaks): room for them
    // at once, not grown by doubling (at most the record limit's worth).
    let rows = match format {
        FileFormat::Csv => bytes.iter().filter(|b| **b == b'\n').count(),
        FileFormat::Json => 0,
    };
    let mut out = Records {
        cfg,
        keys: &mut keys,
        built: Vec::with_capacity(rows.min(cfg.max_records.saturating_add(1))),
    };
    match format {
        FileFormat::Csv => csv_records(bytes, &name, &location, delimiter, &mut out)?,
        FileFormat::Json => json_records(bytes, &name, &location, &mut out)?,
    }
    let built = out.built;
    record::finish(built, &keys, cfg, &location)
}

/// Where records go as they are read: built at once (a CSV row straight from the reader's
/// buffer), field names shared through one table.
struct Records<'a> {
    cfg: &'a EmployeeConfig,
    keys: &'a mut Names,
    built: Vec<BuiltRecord>,
}

impl Records<'_> {
    /// Builds one record from its (name, value) pairs.
    fn build<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        origin: String,
        fields: impl IntoIterator<Item = (K, V)>,
    ) {
        let built = record::build_employee(fields, origin, self.cfg, self.keys);
        self.built.push(built);
    }

    /// A record that could not even be read as fields.
    fn refuse(&mut self, rejected: Rejected) {
        self.built.push(Err(vec![rejected]));
    }
}

fn malformed(location: &str, message: String) -> SourceError {
    SourceError::Malformed {
        location: location.to_owned(),
        message,
    }
}

fn csv_records(
    bytes: &[u8],
    name: &str,
    location: &str,
    delimiter: u8,
    out: &mut Records<'_>,
) -> Result<(), SourceError> {
    let cfg = out.cfg;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| malformed(location, format!("cannot read the header row: {e}")))?
        .clone();
    if header.is_empty() {
        return Err(malformed(
            location,
            "is empty; expected a header row naming the columns".into(),
        ));
    }
    let mut names = Vec::with_capacity(header.len());
    let mut seen = HashSet::new();
    for (i, raw) in header.iter().enumerate() {
        let col = std::str::from_utf8(raw)
            .map_err(|_| {
                malformed(
                    &format!("{location}:1"),
                    format!(
                        "column {} of the header is not UTF-8 text; save the file as UTF-8",
                        i + 1
                    ),
                )
            })?
            .trim()
            .to_owned();
        if col.is_empty() {
            return Err(malformed(
                &format!("{location}:1"),
                format!("column {} of the header has no name", i + 1),
            ));
        }
        if !seen.insert(col.clone()) {
            return Err(malformed(
                &format!("{location}:1"),
                format!("column {col:?} appears twice in the header"),
            ));
        }
        names.push(col);
    }
    for (required, why) in record::required_fields(cfg) {
        if !names.iter().any(|n| n == required) {
            let hint = if names.len() == 1 && delimiter == b',' && names[0].contains(';') {
                " (the columns look separated by ';': set delimiter = \";\" in [source])"
            } else {
                ""
            };
            return Err(malformed(
                &format!("{location}:1"),
                format!(
                    "the header has no column {required:?} (see [employee]; {why}); it has: {}{hint}",
                    names.join(", ")
                ),
            ));
        }
    }
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
        .collect();
    // csv reports a CRLF record's start at the previous line's '\n'; skip line ends first.
    let line_at = |offset: u64| -> usize {
        let mut at = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while bytes.get(at).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) + 1
    };
    let columns: Vec<Arc<str>> = names.iter().map(|n| out.keys.intern(n)).collect();
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(malformed(
                    &format!("{location}:{line}"),
                    format!("not valid CSV: {e}"),
                ));
            }
        }
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        if out.built.len() >= cfg.max_records {
            return Err(record::too_many_records(
                &format!("{location}:{line}"),
                cfg.max_records,
            ));
        }
        let origin = format!("{name}:{line}");
        if rec.len() != names.len() {
            out.refuse(Rejected {
                location: origin,
                employee_id: None,
                field: None,
                reason: format!("has {} fields; the header has {}", rec.len(), names.len()),
            });
            continue;
        }
        let mut fields: Vec<(&Arc<str>, &str)> = Vec::with_capacity(columns.len());
        let mut bad = None;
        for (col, raw) in columns.iter().zip(rec.iter()) {
            match std::str::from_utf8(raw) {
                Ok(v) => fields.push((col, v)),
                Err(_) => {
                    bad = Some(col.to_string());
                    break;
                }
            }
        }
        match bad {
            None => out.build(origin, fields),
            Some(col) => out.refuse(Rejected {
                location: origin,
                employee_id: None,
                field: Some(col),
                reason: "is not UTF-8 text; export the file as UTF-8".into(),
            }),
        }
    }
    Ok(())
}

mod json;
#[cfg(test)]
use json::element_lines;
use json::json_records;

#[cfg(test)]
mod tests;
