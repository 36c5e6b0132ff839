use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn a_pasted_secret_where_a_variable_name_belongs_is_refused_without_echoing_it() {
    let env = |_: &str| Some("x".to_owned());
    for pasted in ["00aBcD-eFgH_1234567890", "ssws abc", "a=b"] {
        let err = SecretRef::Env(pasted.into()).resolve(&env).unwrap_err();
        assert_eq!(err, SecretError::NotAVariableName);
        assert!(!err.to_string().contains(pasted), "{err}");
    }
}

#[test]
fn a_byte_order_mark_in_a_secret_file_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    std::fs::write(&path, "\u{FEFF}00tok-en\r\n").unwrap();
    assert_eq!(
        SecretRef::File(path).resolve(&no_env).unwrap().expose(),
        "00tok-en"
    );
}

#[test]
fn an_env_secret_is_read_and_a_missing_variable_is_named() {
    let env = |k: &str| (k == "TOKEN").then(|| "abc".to_owned());
    let s = SecretRef::Env("TOKEN".into()).resolve(&env).unwrap();
    assert_eq!(s.expose(), "abc");
    let err = SecretRef::Env("NOPE".into()).resolve(&env).unwrap_err();
    assert_eq!(err.to_string(), "environment variable NOPE is not set");
}

#[test]
fn a_file_secret_loses_one_trailing_newline_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t");
    std::fs::write(&p, "tok en \r\n").unwrap();
    let s = SecretRef::File(p).resolve(&no_env).unwrap();
    assert_eq!(s.expose(), "tok en ");
}

#[test]
fn a_credential_is_read_from_the_credentials_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("okta-token"), "xyz\n").unwrap();
    let d = dir.path().display().to_string();
    let env = move |k: &str| (k == "CREDENTIALS_DIRECTORY").then(|| d.clone());
    let s = SecretRef::Credential("okta-token".into())
        .resolve(&env)
        .unwrap();
    assert_eq!(s.expose(), "xyz");
    let err = SecretRef::Credential("okta-token".into())
        .resolve(&no_env)
        .unwrap_err();
    assert!(matches!(err, SecretError::NoCredentialsDirectory(_)));
    let err = SecretRef::Credential("../etc/passwd".into())
        .resolve(&env)
        .unwrap_err();
    assert!(matches!(err, SecretError::BadCredentialName(_)));
}

#[test]
fn a_missing_or_empty_secret_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = SecretRef::File(dir.path().join("none"))
        .resolve(&no_env)
        .unwrap_err();
    assert!(matches!(err, SecretError::Unreadable { .. }));
    let p = dir.path().join("empty");
    std::fs::write(&p, "\n").unwrap();
    let err = SecretRef::File(p).resolve(&no_env).unwrap_err();
    assert!(matches!(err, SecretError::Empty(_)));
}

#[test]
fn a_secret_never_shows_its_value_when_formatted() {
    let s = Secret::new("hunter2");
    assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
    assert_eq!(s.expose(), "hunter2");
}
