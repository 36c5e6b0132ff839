//! The SQL source on PostgreSQL: connect, `BEGIN ... READ ONLY` with a repeatable-read
//! snapshot, `SET LOCAL statement_timeout` and `TIME ZONE 'UTC'`, prepare the query (its
//! column names and types are checked before any row is read), then stream the rows in the
//! binary format, each value turned into text by [`super::text::PgText`]. The transaction is
//! rolled back at the end: nothing is ever written.
//!
//! It must not: write, or leave a query running (the server's timeout stops it; dropping the
//! client on our own bound closes the connection).

use super::text::{Cell, PgText, pg_supported};
use super::{Sink, SourceError, connect_error, timeout_message};
use crate::config::SqlSourceConfig;
use crate::db::pg::{error_text, is_timeout};
use futures::TryStreamExt;
use tokio_postgres::types::ToSql;

/// Runs the query and hands every row to `sink`.
pub(super) async fn read(sql: &SqlSourceConfig, sink: &mut Sink<'_>) -> Result<(), SourceError> {
    let target = &sql.url;
    let location = format!("sql {}", target.shown());
    let failed = |e: tokio_postgres::Error, what: &str| SourceError::Unreadable {
        location: location.clone(),
        message: if is_timeout(&e) {
            timeout_message(sql)
        } else {
            format!("{what}: {}", error_text(&e, target))
        },
        source: None,
    };
    let client = crate::db::pg::connect(target, sql.connect_timeout)
        .await
        .map_err(connect_error)?;
    let millis = sql.query_timeout.as_millis();
    client
        .batch_execute(&format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
             SET LOCAL statement_timeout = {millis}; \
             SET LOCAL TIME ZONE 'UTC'"
        ))
        .await
        .map_err(|e| failed(e, "cannot start a read-only transaction"))?;
    let statement = client
        .prepare(&sql.query)
        .await
        .map_err(|e| failed(e, "the query is refused"))?;
    for column in statement.columns() {
        if !pg_supported(column.type_()) {
            return Err(SourceError::Malformed {
                location,
                message: format!(
                    "column {:?} has type {}, which hrsync does not read as text; cast it in the query ({}::text)",
                    column.name(),
                    column.type_().name(),
                    column.name()
                ),
            });
        }
    }
    sink.columns(
        statement
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect(),
    )?;
    let width = statement.columns().len();
    let rows = client
        .query_raw(&statement, std::iter::empty::<&(dyn ToSql + Sync)>())
        .await
        .map_err(|e| failed(e, "the query failed"))?;
    futures::pin_mut!(rows);
    while let Some(row) = rows
        .try_next()
        .await
        .map_err(|e| failed(e, "reading the rows failed"))?
    {
        let cells: Vec<Cell> = (0..width)
            .map(|i| match row.try_get::<_, PgText>(i) {
                Ok(PgText(text)) => Ok(text),
                Err(e) => Err(std::error::Error::source(&e)
                    .map_or_else(|| e.to_string(), ToString::to_string)),
            })
            .collect();
        sink.row(cells)?;
    }
    // Read-only: nothing to keep. A failure here changes nothing that was read.
    if let Err(e) = client.batch_execute("ROLLBACK").await {
        tracing::debug!(error = %error_text(&e, target), "ending the read-only transaction");
    }
    Ok(())
}
