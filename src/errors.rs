//! Errors as text: one line holding an error and each of its causes once (`a: b: c`), for the
//! places that keep or show an error as words (the journal, `/readyz`, systemd's STATUS=, the
//! log, `hrsync check`). Error types keep their causes as `#[source]`; this is where the chain
//! is flattened, and nowhere else.
//!
//! Pure formatting: never adds anything the errors do not say (they carry no secret).

/// An error and its causes on one line (`a: b: c`); a cause whose text the line already ends
/// with is not repeated.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let next = c.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests;
