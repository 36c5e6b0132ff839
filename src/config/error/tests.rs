use super::*;

#[test]
fn offsets_become_one_based_lines_and_character_columns() {
    let src = SourceText {
        file: "x.toml",
        text: "a = 1\nzoë = \"y\"\n",
    };
    assert_eq!(src.position(0), (1, 1));
    assert_eq!(src.position(6), (2, 1));
    // 'ë' is two bytes: the '=' after "zoë " is character 5 on line 2.
    assert_eq!(src.position(11), (2, 5));
}

#[test]
fn an_error_prints_file_line_column_key_and_message() {
    let src = SourceText {
        file: "hrsync.toml",
        text: "\n\n[activation]\nmode = \"sometimes\"\n",
    };
    let e = src.error_at(Some(22..33), "activation.mode", "unknown value");
    assert_eq!(
        e.to_string(),
        "hrsync.toml:4:8: activation.mode: unknown value"
    );
}

#[test]
fn serde_wording_is_rewritten_with_the_accepted_values() {
    assert_eq!(
        humanize_serde_message("unknown variant `sometimes`, expected one of `always`, `never`"),
        "unknown value \"sometimes\"; expected one of always, never"
    );
    assert_eq!(
        humanize_serde_message("unknown field `tokn`, expected `token` or `oauth`"),
        "unknown key \"tokn\"; expected one of token, oauth"
    );
    assert_eq!(
        humanize_serde_message("missing field `org_url`"),
        "missing key \"org_url\"; it is required"
    );
}
