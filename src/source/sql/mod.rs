//! The SQL HR source: one query on a PostgreSQL or MySQL/MariaDB database, each column of its
//! result a field named like the column, each row a record (`sql:row N` in refusals, rows
//! numbered from 1 in the order the query returns them).
//!
//! The query runs in a read-only transaction (so it cannot change HR data, whatever it says)
//! with a server-side statement timeout (`query_timeout_seconds`; PostgreSQL
//! `statement_timeout`, MariaDB `max_statement_time`, MySQL `max_execution_time`) and the
//! same bound on the client for the whole read; the connect has its own bound. Rows are read
//! as they arrive and each is built at once, so the raw rows never all exist at once. Values
//! become text in one documented way ([`text`]: NULL → absent, date → `YYYY-MM-DD`,
//! time stamp with a zone → RFC 3339 UTC, boolean → `true`/`false`, numbers as digits).
//!
//! Whole-fetch failures (no connection, refused login, a query error, a timeout, a column of a
//! type hrsync does not read, two columns of one name, no id or status column) are errors:
//! this source never returns an empty or partial snapshot because something failed. A row
//! with a value that cannot be read is refused with its row number and column; the rest load.
//!
//! It must not: write to the database, show the URL's password anywhere (messages carry the
//! URL with its user info masked), or know which HR product filled the table.

mod mysql;
mod pg;
pub mod text;

use super::record::{self, BuiltRecord};
use super::{HrSource, Rejected, Snapshot, SourceError};
use crate::config::{EmployeeConfig, SqlSourceConfig};
use crate::db::Engine;
use crate::db::pg::ConnectError;
use crate::model::Names;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use text::Cell;

/// What the last fetch saw, for `hrsync check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// The result's column names, in order.
    pub columns: Vec<String>,
    /// Rows read.
    pub rows: usize,
}

/// Reads employees with one SQL query.
#[derive(Debug, Clone)]
pub struct SqlSource {
    sql: SqlSourceConfig,
    employee: EmployeeConfig,
    last: Arc<Mutex<Option<ReadSummary>>>,
}

impl SqlSource {
    /// A source running `sql`'s query, reading rows with the `[employee]` field rules.
    pub fn new(sql: SqlSourceConfig, employee: EmployeeConfig) -> Self {
        Self {
            sql,
            employee,
            last: Arc::default(),
        }
    }

    /// The columns and row count of the last successful fetch (none before one).
    pub fn last_read(&self) -> Option<ReadSummary> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The database URL, user info masked.
    pub fn shown_url(&self) -> &str {
        self.sql.url.shown()
    }

    async fn read(&self, sink: &mut Sink<'_>) -> Result<(), SourceError> {
        match self.sql.url.engine {
            Engine::Postgres => pg::read(&self.sql, sink).await,
            Engine::MySql => mysql::read(&self.sql, sink).await,
        }
    }
}

impl HrSource for SqlSource {
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let location = format!("sql {}", self.sql.url.shown());
        let mut sink = Sink::new(&self.employee, location.clone());
        // The server stops the query at query_timeout; this bounds the whole read on our
        // side too (a server that ignores the limit, a network that stalls).
        let bound = self.sql.connect_timeout + self.sql.query_timeout + Duration::from_secs(5);
        match tokio::time::timeout(bound, self.read(&mut sink)).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(SourceError::Unreadable {
                    location,
                    message: format!(
                        "the query did not finish within {} s (query_timeout_seconds = {} plus the connect); nothing was used",
                        bound.as_secs(),
                        self.sql.query_timeout.as_secs()
                    ),
                    source: None,
                });
            }
        }
        let summary = ReadSummary {
            columns: sink.columns.iter().map(|c| c.to_string()).collect(),
            rows: sink.rows,
        };
        let snapshot = sink.finish()?;
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(summary);
        tracing::info!(
            employees = snapshot.employees.len(),
            rejected = snapshot.rejected.len(),
            "read the HR database"
        );
        for r in &snapshot.rejected {
            tracing::debug!(rejected = %r, "HR record refused");
        }
        Ok(snapshot)
    }

    fn describe(&self) -> String {
        format!(
            "sql {} ({})",
            self.sql.url.shown(),
            self.sql.url.engine.name()
        )
    }
}

/// Where rows go as they are read: checked against the columns and built at once.
pub(crate) struct Sink<'a> {
    cfg: &'a EmployeeConfig,
    location: String,
    keys: Names,
    columns: Vec<Arc<str>>,
    built: Vec<BuiltRecord>,
    rows: usize,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(cfg: &'a EmployeeConfig, location: String) -> Self {
        Self {
            cfg,
            location,
            keys: Names::default(),
            columns: Vec::new(),
            built: Vec::new(),
            rows: 0,
        }
    }

    fn malformed(&self, message: String) -> SourceError {
        SourceError::Malformed {
            location: self.location.clone(),
            message,
        }
    }

    /// Takes the result's column names: none empty, none twice, the id and status present.
    pub(crate) fn columns(&mut self, names: Vec<String>) -> Result<(), SourceError> {
        if names.is_empty() {
            return Err(self.malformed(
                "the query returns no columns; expected a SELECT naming the employee fields".into(),
            ));
        }
        let mut seen = HashSet::new();
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(self.malformed(format!(
                    "column {} of the result has no name; give it one (AS name)",
                    i + 1
                )));
            }
            if !seen.insert(name.as_str()) {
                return Err(self.malformed(format!(
                    "two columns of the result are named {name:?}; give one another name (AS other)"
                )));
            }
        }
        for (required, why) in record::required_fields(self.cfg) {
            if !names.iter().any(|n| n == required) {
                return Err(self.malformed(format!(
                    "the result has no column {required:?} (see [employee]; {why}); it has: {}. Name it in the query (SELECT ... AS {required})",
                    names.join(", ")
                )));
            }
        }
        self.columns = names.iter().map(|n| self.keys.intern(n)).collect();
        Ok(())
    }

    /// Takes one row, its cells in column order. A row with cells that cannot be read is
    /// refused, naming each such column; the error is only for a row past `max_employees`.
    pub(crate) fn row(&mut self, cells: Vec<Cell>) -> Result<(), SourceError> {
        self.rows += 1;
        let origin = format!("sql:row {}", self.rows);
        if self.built.len() >= self.cfg.max_records {
            return Err(record::too_many_records(&origin, self.cfg.max_records));
        }
        let mut fields: Vec<(&Arc<str>, String)> = Vec::with_capacity(cells.len());
        let mut bad: Vec<(&Arc<str>, String)> = Vec::new();
        for (column, cell) in self.columns.iter().zip(cells) {
            match cell {
                Ok(Some(text)) => fields.push((column, text)),
                Ok(None) => {}
                Err(why) => bad.push((column, why)),
            }
        }
        if bad.is_empty() {
            let built = record::build_employee(fields, origin, self.cfg, &mut self.keys);
            self.built.push(built);
            return Ok(());
        }
        let id = fields
            .iter()
            .find(|(c, _)| c.as_ref() == self.cfg.id)
            .map(|(_, v)| v.trim().to_owned());
        let refusals = bad
            .into_iter()
            .map(|(column, why)| Rejected {
                location: origin.clone(),
                employee_id: id.clone(),
                field: Some(column.to_string()),
                reason: format!("cannot be read: {why}"),
            })
            .collect();
        self.built.push(Err(refusals));
        Ok(())
    }

    /// The snapshot, after the shared checks of [`record::finish`].
    pub(crate) fn finish(self) -> Result<Snapshot, SourceError> {
        record::finish(self.built, &self.keys, self.cfg, &self.location)
    }
}

/// A connect failure as a source error: a refused login is [`SourceError::Auth`].
fn connect_error(e: ConnectError) -> SourceError {
    match e {
        ConnectError::Auth { shown, message } => SourceError::Auth {
            location: format!("sql {shown}"),
            message: format!("{message}; check the user name and password in the URL's secret"),
        },
        ConnectError::Setup { shown, message } | ConnectError::Unreachable { shown, message } => {
            SourceError::Unreadable {
                location: format!("sql {shown}"),
                message,
                source: None,
            }
        }
        ConnectError::Timeout { shown, seconds } => SourceError::Unreadable {
            location: format!("sql {shown}"),
            message: format!(
                "no answer within connect_timeout_seconds = {seconds}; is the server up and reachable?"
            ),
            source: None,
        },
    }
}

/// The message for a query the server stopped at its time limit.
fn timeout_message(sql: &SqlSourceConfig) -> String {
    format!(
        "the query ran longer than query_timeout_seconds = {} and the server stopped it; nothing was used. Make the query faster or raise the limit",
        sql.query_timeout.as_secs()
    )
}

#[cfg(test)]
mod tests;
