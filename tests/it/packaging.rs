//! The packaged configuration is the documented example, reading the token from the systemd
//! credential the unit loads instead of the example's file.

#[test]
fn the_packaged_config_is_the_example_with_the_token_from_the_systemd_credential() {
    let root = env!("CARGO_MANIFEST_DIR");
    let example = std::fs::read_to_string(format!("{root}/config/hrsync.example.toml")).unwrap();
    let packaged = std::fs::read_to_string(format!("{root}/deploy/hrsync.toml")).unwrap();
    let unit = std::fs::read_to_string(format!("{root}/deploy/hrsync.service")).unwrap();
    let expected = example.replace(
        "token = { file = \"okta-token.example\" }",
        "token = { credential = \"okta-token\" }",
    );
    assert_ne!(
        expected, example,
        "the example's token line changed: update deploy/hrsync.toml"
    );
    assert_eq!(
        packaged, expected,
        "regenerate deploy/hrsync.toml from config/hrsync.example.toml"
    );
    assert!(unit.contains("LoadCredential=okta-token:/etc/hrsync/okta-token"));
}
