//! The SQL source on MySQL or MariaDB: connect, set the session's time zone to UTC and its
//! statement time limit (MariaDB `max_statement_time`, else MySQL `max_execution_time`),
//! `START TRANSACTION READ ONLY`, then run the query as a prepared statement (binary protocol:
//! typed values) and stream its rows, each value turned into text by [`cell`] in the way
//! [`super::text`] documents. The transaction is rolled back at the end.
//!
//! It must not: write, or run the query without a time limit.

use super::text::{Cell, float_text};
use super::{Sink, SourceError, connect_error, timeout_message};
use crate::config::SqlSourceConfig;
use crate::db::mysql::{error_text, is_timeout};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use mysql_async::consts::ColumnType;
use mysql_async::prelude::Queryable;
use mysql_async::{Column, Value};

/// MariaDB/MySQL "unknown system variable": tells MySQL from MariaDB by trying.
const UNKNOWN_VARIABLE: u16 = 1193;

/// The character set number of binary strings (`BLOB`, `VARBINARY`).
const BINARY_CHARSET: u16 = 63;

/// Runs the query and hands every row to `sink`.
pub(super) async fn read(sql: &SqlSourceConfig, sink: &mut Sink<'_>) -> Result<(), SourceError> {
    let target = &sql.url;
    let location = format!("sql {}", target.shown());
    let failed = |e: mysql_async::Error, what: &str| SourceError::Unreadable {
        location: location.clone(),
        message: if is_timeout(&e) {
            timeout_message(sql)
        } else {
            format!("{what}: {}", error_text(&e, target))
        },
        source: None,
    };
    let mut conn = crate::db::mysql::connect(target, sql.connect_timeout)
        .await
        .map_err(connect_error)?;
    let seconds = sql.query_timeout.as_secs();
    conn.query_drop("SET SESSION time_zone = '+00:00'")
        .await
        .map_err(|e| failed(e, "cannot set the session's time zone"))?;
    match conn
        .query_drop(format!("SET SESSION max_statement_time = {seconds}"))
        .await
    {
        Ok(()) => {}
        Err(mysql_async::Error::Server(s)) if s.code == UNKNOWN_VARIABLE => conn
            .query_drop(format!(
                "SET SESSION max_execution_time = {}",
                seconds * 1000
            ))
            .await
            .map_err(|e| failed(e, "cannot set the statement time limit"))?,
        Err(e) => return Err(failed(e, "cannot set the statement time limit")),
    }
    conn.query_drop("START TRANSACTION READ ONLY")
        .await
        .map_err(|e| failed(e, "cannot start a read-only transaction"))?;
    let mut result = conn
        .exec_iter(sql.query.as_str(), ())
        .await
        .map_err(|e| failed(e, "the query failed"))?;
    let columns: Vec<Column> = result.columns_ref().to_vec();
    sink.columns(columns.iter().map(|c| c.name_str().into_owned()).collect())?;
    while let Some(row) = result
        .next()
        .await
        .map_err(|e| failed(e, "reading the rows failed"))?
    {
        let values = row.unwrap_raw();
        let cells: Vec<Cell> = columns
            .iter()
            .zip(values)
            .map(|(column, value)| cell(column, value.unwrap_or(Value::NULL)))
            .collect();
        sink.row(cells)?;
    }
    drop(result);
    if let Err(e) = conn.query_drop("ROLLBACK").await {
        tracing::debug!(error = %error_text(&e, target), "ending the read-only transaction");
    }
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %error_text(&e, target), "closing the connection");
    }
    Ok(())
}

/// One value of `column` as field text (see [`super::text`]).
pub fn cell(column: &Column, value: Value) -> Cell {
    let kind = column.column_type();
    let boolean = (kind == ColumnType::MYSQL_TYPE_TINY || kind == ColumnType::MYSQL_TYPE_BIT)
        && column.column_length() == 1;
    match value {
        Value::NULL => Ok(None),
        Value::Int(n) if boolean => Ok(Some((n != 0).to_string())),
        Value::UInt(n) if boolean => Ok(Some((n != 0).to_string())),
        Value::Int(n) => Ok(Some(n.to_string())),
        Value::UInt(n) => Ok(Some(n.to_string())),
        Value::Float(f) => float_text(f64::from(f)).map(Some),
        Value::Double(f) => float_text(f).map(Some),
        Value::Bytes(bytes) if kind == ColumnType::MYSQL_TYPE_BIT => {
            let n = bytes
                .iter()
                .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
            Ok(Some(if boolean {
                (n != 0).to_string()
            } else {
                n.to_string()
            }))
        }
        Value::Bytes(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(_) if column.character_set() == BINARY_CHARSET => Err(
                "is binary data, not UTF-8 text; convert it in the query (CAST(col AS CHAR))"
                    .to_owned(),
            ),
            Err(_) => Err("is not UTF-8 text".to_owned()),
        },
        Value::Date(0, 0, 0, 0, 0, 0, 0) => Ok(None),
        Value::Date(y, m, d, h, mi, s, us) => date_text(kind, (y, m, d), (h, mi, s, us)).map(Some),
        Value::Time(negative, days, h, m, s, us) => {
            if negative || days > 0 {
                return Err("is a time span, not a time of day".to_owned());
            }
            NaiveTime::from_hms_micro_opt(h.into(), m.into(), s.into(), us)
                .map(|t| Some(t.format("%H:%M:%S%.f").to_string()))
                .ok_or_else(|| format!("{h:02}:{m:02}:{s:02} is not a time of day"))
        }
    }
}

/// A DATE as `YYYY-MM-DD`, a TIMESTAMP (read in UTC) as RFC 3339 UTC, a DATETIME as stored.
fn date_text(
    kind: ColumnType,
    ymd: (u16, u8, u8),
    hms: (u8, u8, u8, u32),
) -> Result<String, String> {
    let (y, m, d) = ymd;
    let (h, mi, s, us) = hms;
    let date = NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
        .ok_or_else(|| format!("{y:04}-{m:02}-{d:02} is not a calendar date"))?;
    if kind == ColumnType::MYSQL_TYPE_DATE || kind == ColumnType::MYSQL_TYPE_NEWDATE {
        return Ok(date.format("%Y-%m-%d").to_string());
    }
    let time = NaiveTime::from_hms_micro_opt(h.into(), mi.into(), s.into(), us)
        .ok_or_else(|| format!("{h:02}:{mi:02}:{s:02} is not a time of day"))?;
    let stamp = NaiveDateTime::new(date, time);
    if kind == ColumnType::MYSQL_TYPE_TIMESTAMP || kind == ColumnType::MYSQL_TYPE_TIMESTAMP2 {
        Ok(super::text::utc_text(stamp.and_utc()))
    } else {
        Ok(super::text::naive_text(stamp))
    }
}
