//! `[server]`'s console keys: off by default; on, it needs a way to sign readers in; the
//! admin token may not be the read token; the proxy header must be a header name; secrets
//! are read from their references and never shown.

use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "OKTA_API_TOKEN" => Some("00-secret-token-value".to_owned()),
        "CONSOLE_TOKEN" => Some("console-read-secret".to_owned()),
        "CONSOLE_ADMIN" => Some("console-admin-secret".to_owned()),
        _ => None,
    }
}

fn errors(server: &str) -> String {
    match load_text_env(&format!("{GOOD}\n[server]\n{server}"), env) {
        Ok(_) => panic!("expected errors for {server}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_console_is_off_by_default_and_on_reads_its_tokens_from_their_references() {
    let c = load_text(GOOD).unwrap();
    assert!(!c.server.console);
    let c = load_text_env(
        &format!(
            "{GOOD}\n[server]\nconsole = true\nconsole_token = {{ env = \"CONSOLE_TOKEN\" }}\nconsole_admin_token = {{ env = \"CONSOLE_ADMIN\" }}\nconsole_user_header = \"X-Forwarded-User\"\n"
        ),
        env,
    )
    .unwrap();
    assert!(c.server.console);
    assert_eq!(
        c.server.console_token.as_ref().map(|s| s.expose()),
        Some("console-read-secret")
    );
    assert_eq!(
        c.server.console_user_header.as_deref(),
        Some("x-forwarded-user")
    );
    let shown = format!("{:?}", c.server);
    assert!(!shown.contains("console-read-secret") && !shown.contains("console-admin-secret"));
}

#[test]
fn a_console_nobody_can_sign_into_or_an_admin_token_equal_to_the_read_token_is_refused() {
    let e = errors("console = true\n");
    assert!(
        e.contains("server.console: console = true needs a way to sign readers in"),
        "{e}"
    );
    let e = errors(
        "console = true\nconsole_token = { env = \"CONSOLE_TOKEN\" }\nconsole_admin_token = { env = \"CONSOLE_TOKEN\" }\n",
    );
    assert!(
        e.contains("console_admin_token must differ from console_token"),
        "{e}"
    );
    assert!(!e.contains("console-read-secret"), "{e}");
}

#[test]
fn a_console_token_written_as_a_value_or_a_bad_header_name_is_refused_at_its_key() {
    let e = errors("console = true\nconsole_token = \"pasted-secret\"\n");
    assert!(e.contains("server.console_token"), "{e}");
    assert!(
        !e.contains("pasted-secret"),
        "the value is not repeated: {e}"
    );
    let e = errors("console = true\nconsole_user_header = \"X Forwarded: User\"\n");
    assert!(e.contains("server.console_user_header"), "{e}");
    assert!(e.contains("is not a header name"), "{e}");
}
