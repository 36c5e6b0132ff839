//! Numbers that check their range while serde reads them, for settings deserialized directly
//! into typed structs (the planner's policy here, the root's config sections): an integer or
//! a number outside its range is a serde error worded as hrsync reports it
//! (`-1 is out of range; expected 0 to 3600`), at the value's position.
//!
//! Pure serde code; no I/O.

use serde::de::{self, Deserialize, Deserializer};
use std::time::Duration;

/// An integer from `LO` to `HI`, or the message hrsync reports.
pub fn in_range<const LO: i64, const HI: i64>(n: i64) -> Result<i64, String> {
    if (LO..=HI).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is out of range; expected {LO} to {HI}"))
    }
}

/// Deserializes an integer from `LO` to `HI` into any integer type it fits.
pub fn int<'de, const LO: i64, const HI: i64, T, D>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    let n = in_range::<LO, HI>(i64::deserialize(d)?).map_err(de::Error::custom)?;
    T::try_from(n).map_err(|_| de::Error::custom(format!("{n} does not fit")))
}

/// Deserializes a whole number of seconds from `LO` to `HI` as a [`Duration`].
pub fn seconds<'de, const LO: i64, const HI: i64, D>(d: D) -> Result<Duration, D::Error>
where
    D: Deserializer<'de>,
{
    let n: u64 = int::<LO, HI, u64, D>(d)?;
    Ok(Duration::from_secs(n))
}

/// Deserializes a number (an integer is taken as one) from `LO` to `HI`, both included.
pub fn number<'de, const LO: i64, const HI: i64, D>(d: D) -> Result<f64, D::Error>
where
    D: Deserializer<'de>,
{
    let x = f64::deserialize(d)?;
    // The bounds are small integers: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let (lo, hi) = (LO as f64, HI as f64);
    if x >= lo && x <= hi {
        Ok(x)
    } else {
        Err(de::Error::custom(format!(
            "{x} is out of range; expected a number from {LO} up to {HI}"
        )))
    }
}

#[cfg(test)]
mod tests;
