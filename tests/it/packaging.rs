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

/// `[package.metadata.deb]` of Cargo.toml, as TOML.
fn deb_metadata() -> (toml::Table, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest: toml::Table = std::fs::read_to_string(format!("{root}/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let version = manifest["package"]["version"].as_str().unwrap().to_owned();
    let deb = manifest["package"]["metadata"]["deb"]
        .as_table()
        .unwrap()
        .clone();
    (deb, version)
}

#[test]
fn the_package_has_no_placeholder_maintainer_and_a_changelog_for_its_version() {
    let (deb, version) = deb_metadata();
    let maintainer = deb["maintainer"].as_str().unwrap();
    for placeholder in ["localhost", "TODO", "you@", "example.com", "changeme"] {
        assert!(!maintainer.contains(placeholder), "{maintainer}");
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let changelog =
        std::fs::read_to_string(format!("{root}/{}", deb["changelog"].as_str().unwrap())).unwrap();
    assert!(
        changelog.starts_with(&format!("hrsync ({version}-1) ")),
        "the changelog's first entry is not {version}-1: {changelog}"
    );
    let signature = changelog
        .lines()
        .find(|l| l.starts_with(" -- "))
        .unwrap_or_default();
    assert!(
        signature.starts_with(&format!(" -- {maintainer}  ")),
        "{signature}"
    );
}

#[test]
fn the_package_ships_the_man_pages_completions_dashboard_and_rules_at_the_debian_paths() {
    let (deb, _) = deb_metadata();
    let assets: Vec<(String, String)> = deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_array().unwrap();
            (
                a[0].as_str().unwrap().to_owned(),
                a[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let root = env!("CARGO_MANIFEST_DIR");
    for (source, _) in &assets {
        if !source.starts_with("target/") {
            assert!(
                std::path::Path::new(&format!("{root}/{source}")).is_file(),
                "{source}"
            );
        }
    }
    for dest in [
        "usr/share/man/man1/",
        "usr/share/bash-completion/completions/hrsync",
        "usr/share/zsh/vendor-completions/_hrsync",
        "usr/share/fish/vendor_completions.d/hrsync.fish",
        "usr/share/hrsync/grafana/hrsync.json",
        "usr/share/hrsync/prometheus/hrsync-rules.yml",
        "usr/share/hrsync/systemd/notify-reload.conf",
    ] {
        assert!(
            assets.iter().any(|(_, d)| d == dest),
            "nothing installed at {dest}"
        );
    }
    // The generated files the assets name are the ones `hrsync generate` writes.
    for (_, file) in hrsync::cli::generate::COMPLETIONS {
        let source = format!("target/generated/completions/{file}");
        assert!(assets.iter().any(|(s, _)| *s == source), "{source}");
    }
}
