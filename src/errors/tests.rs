use super::*;

#[derive(Debug, thiserror::Error)]
#[error("outer failed")]
struct Outer(#[source] std::io::Error);

#[test]
fn an_error_is_described_with_each_cause_once() {
    let e = Outer(std::io::Error::other("disk on fire"));
    assert_eq!(describe(&e), "outer failed: disk on fire");
    let flat: Box<dyn std::error::Error + Send + Sync> = "just a message".into();
    assert_eq!(describe(&*flat), "just a message");
}

#[derive(Debug, thiserror::Error)]
#[error("read failed: disk on fire")]
struct Repeating(#[source] std::io::Error);

#[test]
fn a_cause_already_at_the_end_of_the_text_is_not_repeated() {
    let e = Repeating(std::io::Error::other("disk on fire"));
    assert_eq!(describe(&e), "read failed: disk on fire");
}
