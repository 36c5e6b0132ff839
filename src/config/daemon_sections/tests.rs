use super::*;

#[test]
fn the_defaults_are_the_documented_ones_and_the_default_cron_parses() {
    let s = ScheduleConfig::default();
    assert_eq!(s.cron.expr(), DEFAULT_CRON);
    assert!(s.cron.schedule().upcoming(chrono::Utc).next().is_some());
    assert_eq!(s.max_backoff, Duration::from_secs(3600));
    let server = ServerConfig::default();
    assert_eq!(server.listen, DEFAULT_LISTEN.parse().ok());
    assert_eq!(server.max_connections, 64);
}

#[test]
fn an_empty_section_gets_every_default() {
    let s: ScheduleConfig = toml::from_str("").unwrap();
    assert_eq!(s.cron.expr(), DEFAULT_CRON);
    let server: ServerConfig = toml::from_str("listen = \"off\"").unwrap();
    assert_eq!(server.listen, None);
    assert_eq!(server.idle_timeout, Duration::from_secs(60));
}

#[test]
fn a_five_field_crontab_line_is_refused_with_the_fix() {
    let err = "*/15 * * * *".parse::<Cron>().unwrap_err();
    assert!(err.contains("put \"0 \" in front"), "{err}");
}

#[test]
fn a_trusted_proxy_header_on_an_address_beyond_loopback_is_warned_about_and_on_loopback_is_not() {
    let exposed: ServerConfig = toml::from_str(
        "listen = \"0.0.0.0:9184\"\nconsole = true\nconsole_user_header = \"X-Forwarded-User\"",
    )
    .unwrap();
    let warning = exposed.console_exposure().unwrap();
    assert!(warning.contains("x-forwarded-user"), "{warning}");
    assert!(warning.contains("0.0.0.0:9184"), "{warning}");
    let local: ServerConfig = toml::from_str(
        "listen = \"127.0.0.1:9184\"\nconsole = true\nconsole_user_header = \"X-Forwarded-User\"",
    )
    .unwrap();
    assert_eq!(local.console_exposure(), None);
    let off: ServerConfig = toml::from_str(
        "listen = \"0.0.0.0:9184\"\nconsole = false\nconsole_user_header = \"X-Forwarded-User\"",
    )
    .unwrap();
    assert_eq!(off.console_exposure(), None);
    assert_eq!(off.console_summary(), "off");
    assert_eq!(
        exposed.console_summary(),
        "on at /console: proxy header x-forwarded-user; no approvals (no console_admin_token)"
    );
}
