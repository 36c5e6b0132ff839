//! CPU time and memory of this process, read from `/proc/self` (Linux only; no new
//! dependencies). Reading fails soft: a missing figure is `None`, never a panic.

use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat` times. `USER_HZ` is 100 on every Linux
/// architecture the project targets (x86_64, aarch64), whatever the kernel's `HZ`.
const USER_HZ: u64 = 100;

/// User + system CPU time of this process so far (all threads).
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_of_stat(&stat)
}

/// Parses `utime` and `stime` (fields 14 and 15) of a `/proc/<pid>/stat` line. The command
/// name (field 2) may contain spaces, so fields are counted after its closing parenthesis.
fn cpu_of_stat(stat: &str) -> Option<Duration> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // After ")" the first field is field 3 (state); utime is field 14, so skip 11.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 1000 / USER_HZ))
}

/// A `kB` figure of `/proc/self/status` (`VmHWM` = peak RSS, `VmRSS` = current), in bytes.
pub fn status_bytes(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_field(&status, key)
}

fn status_field(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k == key).then(|| {
            v.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
                .map(|kb| kb * 1024)
        })?
    })
}

/// Peak resident set size of this process so far, in bytes.
pub fn peak_rss() -> Option<u64> {
    status_bytes("VmHWM")
}

/// Resets the peak RSS (`VmHWM`) to the current RSS (`echo 5 > /proc/self/clear_refs`, Linux
/// 4.0+), so a later [`peak_rss`] covers only what follows. Returns false when not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Current resident set size, in bytes.
pub fn rss() -> Option<u64> {
    status_bytes("VmRSS")
}

#[cfg(test)]
mod tests;
