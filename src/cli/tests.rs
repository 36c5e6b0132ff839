use super::*;

#[test]
fn the_command_line_parses_global_options_after_the_command() {
    let cli = Cli::try_parse_from([
        "hrsync",
        "check",
        "-vv",
        "--log-format",
        "json",
        "-c",
        "x.toml",
    ])
    .unwrap();
    assert_eq!(cli.verbose, 2);
    assert_eq!(cli.log_format, LogFormat::Json);
    assert_eq!(cli.config, PathBuf::from("x.toml"));
    assert!(matches!(cli.command, Command::Check { .. }));
}

#[test]
fn the_config_path_defaults_to_etc_and_can_come_from_hrsync_config() {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let arg = cmd
        .get_arguments()
        .find(|a| a.get_id() == "config")
        .unwrap();
    assert_eq!(arg.get_env(), Some(std::ffi::OsStr::new("HRSYNC_CONFIG")));
    assert_eq!(arg.get_default_values(), [DEFAULT_CONFIG_PATH]);
    assert_eq!(DEFAULT_CONFIG_PATH, "/etc/hrsync/hrsync.toml");
}

#[test]
fn an_unknown_log_format_is_refused() {
    assert!(Cli::try_parse_from(["hrsync", "--log-format", "xml", "check"]).is_err());
}
