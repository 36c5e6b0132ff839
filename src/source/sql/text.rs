//! How database values become field text, in one way for both engines (the module doc of
//! `source::sql` and the README show the table):
//!
//! - NULL → the field is absent (like an empty CSV cell); MySQL's zero date `0000-00-00` too;
//! - text (any character type, enums, `citext`) → as stored (the record rules trim it);
//! - integers → decimal digits; NUMERIC/DECIMAL → as the database writes them (`1234.50`);
//!   floating point → the shortest text that reads back the same, whole values without a
//!   fraction (`3`, not `3.0`); NaN and infinities are refused;
//! - booleans → `true` / `false` (MySQL's BOOLEAN is TINYINT(1): 0 → `false`, else `true`;
//!   BIT(1) likewise);
//! - date → `YYYY-MM-DD`; a time stamp with a time zone (PostgreSQL `timestamptz`, MySQL
//!   `TIMESTAMP`) → RFC 3339 in UTC (`2024-05-01T08:30:00Z`); one without (PostgreSQL
//!   `timestamp`, MySQL `DATETIME`) → as stored, without an offset (`2024-05-01T08:30:00`);
//!   fractions of a second only when not zero; time of day → `HH:MM:SS`;
//! - UUID → lower-case hyphenated; JSON → its compact text;
//! - anything else (bytea, arrays, intervals, geometry…) is refused for the whole column
//!   before any row is read: cast it in the query (`col::text`, `CAST(col AS CHAR)`).
//!
//! A value that cannot be turned into text (a date out of chrono's range, `infinity`, bytes
//! that are not UTF-8) refuses its row, naming the column. Pure: no I/O.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::error::Error;
use tokio_postgres::types::{FromSql, Kind, Type};

/// One cell: its text (`None` for NULL), or why it cannot be read.
pub type Cell = Result<Option<String>, String>;

type BoxError = Box<dyn Error + Sync + Send>;

/// Whole floats up to 2^53 are written as integers; other floats in their shortest form.
pub fn float_text(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("is {f}, not a number hrsync can use"));
    }
    if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
        return Ok(format!("{}", f as i64));
    }
    Ok(format!("{f}"))
}

/// A naive date-time as stored: `YYYY-MM-DDTHH:MM:SS[.fraction]`.
pub fn naive_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

/// An instant in UTC: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
pub fn utc_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Whether hrsync reads a PostgreSQL column of type `ty` (see the module doc).
pub fn pg_supported(ty: &Type) -> bool {
    match ty.kind() {
        Kind::Enum(_) => true,
        Kind::Domain(base) => pg_supported(base),
        _ => {
            PG_TYPES.contains(ty)
                || matches!(ty.name(), "citext" | "ltree" | "lquery" | "ltxtquery")
        }
    }
}

const PG_TYPES: &[Type] = &[
    Type::BOOL,
    Type::INT2,
    Type::INT4,
    Type::INT8,
    Type::OID,
    Type::FLOAT4,
    Type::FLOAT8,
    Type::NUMERIC,
    Type::TEXT,
    Type::VARCHAR,
    Type::BPCHAR,
    Type::NAME,
    Type::UNKNOWN,
    Type::CHAR,
    Type::DATE,
    Type::TIMESTAMP,
    Type::TIMESTAMPTZ,
    Type::TIME,
    Type::UUID,
    Type::JSON,
    Type::JSONB,
];

/// A PostgreSQL value as field text (binary wire format in, text out).
pub struct PgText(pub Option<String>);

impl<'a> FromSql<'a> for PgText {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        pg_text(ty, raw).map(|t| PgText(Some(t)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(PgText(None))
    }

    fn accepts(ty: &Type) -> bool {
        pg_supported(ty)
    }
}

fn pg_text(ty: &Type, raw: &[u8]) -> Result<String, BoxError> {
    if let Kind::Domain(base) = ty.kind() {
        return pg_text(base, raw);
    }
    if let Kind::Enum(_) = ty.kind() {
        return Ok(std::str::from_utf8(raw)?.to_owned());
    }
    Ok(match *ty {
        Type::BOOL => bool::from_sql(ty, raw)?.to_string(),
        Type::INT2 => i16::from_sql(ty, raw)?.to_string(),
        Type::INT4 => i32::from_sql(ty, raw)?.to_string(),
        Type::INT8 => i64::from_sql(ty, raw)?.to_string(),
        Type::OID => u32::from_sql(ty, raw)?.to_string(),
        Type::FLOAT4 => float_text(f64::from(f32::from_sql(ty, raw)?))?,
        Type::FLOAT8 => float_text(f64::from_sql(ty, raw)?)?,
        Type::NUMERIC => numeric_text(raw)?,
        Type::CHAR => char::from(i8::from_sql(ty, raw)?.cast_unsigned()).to_string(),
        Type::DATE => NaiveDate::from_sql(ty, raw)?.format("%Y-%m-%d").to_string(),
        Type::TIMESTAMP => naive_text(NaiveDateTime::from_sql(ty, raw)?),
        Type::TIMESTAMPTZ => utc_text(DateTime::<Utc>::from_sql(ty, raw)?),
        Type::TIME => NaiveTime::from_sql(ty, raw)?
            .format("%H:%M:%S%.f")
            .to_string(),
        Type::UUID => uuid_text(raw)?,
        Type::JSON | Type::JSONB => serde_json::Value::from_sql(ty, raw)?.to_string(),
        // Text types, and extension types whose binary form is their text (citext).
        _ => std::str::from_utf8(raw)?.to_owned(),
    })
}

/// `8-4-4-4-12` lower-case hex of a 16-byte UUID.
fn uuid_text(raw: &[u8]) -> Result<String, BoxError> {
    if raw.len() != 16 {
        return Err(format!("a UUID of {} bytes", raw.len()).into());
    }
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// PostgreSQL's binary NUMERIC (base-10000 digits, a weight, a sign and a display scale) as
/// the decimal text PostgreSQL itself prints, e.g. `-1234.50`.
pub fn numeric_text(raw: &[u8]) -> Result<String, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        match raw.get(2 * i..2 * i + 2) {
            Some(b) => Ok(u16::from_be_bytes([b[0], b[1]])),
            None => Err("a NUMERIC value cut short".into()),
        }
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(1)?.cast_signed());
    let sign = word(2)?;
    let dscale = usize::from(word(3)?);
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => return Err("is NaN, not a number hrsync can use".into()),
        _ => return Err("is infinite, not a number hrsync can use".into()),
    }
    if dscale > 1000 || ndigits > 10_000 {
        return Err("a NUMERIC value too long to be a field".into());
    }
    let digits: Vec<u16> = (0..ndigits)
        .map(|i| word(4 + i))
        .collect::<Result<_, _>>()?;
    if digits.iter().any(|d| *d > 9999) {
        return Err("a malformed NUMERIC value".into());
    }
    // Digit group k has weight `weight - k`: 10000^(weight - k).
    let group = |w: i32| -> u16 {
        let k = weight - w;
        usize::try_from(k)
            .ok()
            .and_then(|k| digits.get(k))
            .copied()
            .unwrap_or(0)
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        out.push_str(&group(weight).to_string());
        for w in (0..weight).rev() {
            out.push_str(&format!("{:04}", group(w)));
        }
    }
    if dscale > 0 {
        let mut fraction = String::with_capacity(dscale + 4);
        let mut w = -1;
        while fraction.len() < dscale {
            fraction.push_str(&format!("{:04}", group(w)));
            w -= 1;
        }
        fraction.truncate(dscale);
        out.push('.');
        out.push_str(&fraction);
    }
    if out == "-0" || out.starts_with("-0.") && out[1..].chars().all(|c| c == '0' || c == '.') {
        out.remove(0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
