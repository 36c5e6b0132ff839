use super::*;
use crate::config::value::{Scope, with_scope};
use std::rc::Rc;

fn load(
    text: &str,
    vars: &'static [(&'static str, &'static str)],
) -> Result<JournalConfig, String> {
    let scope = Scope {
        base_dir: PathBuf::from("/etc/hrsync"),
        env: Rc::new(move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }),
    };
    with_scope(scope, || toml::from_str::<JournalConfig>(text)).map_err(|e| e.message().to_owned())
}

#[test]
fn a_path_is_an_sqlite_file_beside_the_config_and_the_default_follows_the_state_directory() {
    let c = load("path = \"state/journal.db\"", &[]).unwrap();
    assert_eq!(c.path, PathBuf::from("/etc/hrsync/state/journal.db"));
    assert!(c.url.is_none());
    let c = load("", &[("STATE_DIRECTORY", "/var/lib/hrsync-x")]).unwrap();
    assert_eq!(c.path, PathBuf::from("/var/lib/hrsync-x/journal.db"));
    let c = JournalConfig::default_with(&|_| None);
    assert_eq!(c.path, PathBuf::from(DEFAULT_JOURNAL));
}

#[test]
fn a_url_is_a_secret_reference_to_a_postgres_url_shown_masked() {
    let c = load(
        "url = { env = \"J\" }",
        &[("J", "postgres://hr:Pw-journal-1@db:5432/hrsync")],
    )
    .unwrap();
    assert_eq!(c.location(), "postgres://***@db:5432/hrsync");
    assert!(!format!("{c:?}").contains("Pw-journal-1"));
}

#[test]
fn path_and_url_together_a_mysql_url_or_an_unknown_key_are_refused() {
    let both = load(
        "path = \"j.db\"\nurl = { env = \"J\" }",
        &[("J", "postgres://db/hrsync")],
    )
    .unwrap_err();
    assert!(both.contains("not both"), "{both}");
    let mysql = load("url = { env = \"J\" }", &[("J", "mysql://u:Pw-my-1@db/x")]).unwrap_err();
    assert!(mysql.contains("PostgreSQL only"), "{mysql}");
    assert!(!mysql.contains("Pw-my-1"), "{mysql}");
    let unknown = load("file = \"x\"", &[]).unwrap_err();
    assert!(unknown.contains("unknown field"), "{unknown}");
}
