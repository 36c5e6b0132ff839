use super::*;

#[test]
fn the_man_pages_cover_hrsync_and_every_visible_command_but_not_generate() {
    let dir = tempfile::tempdir().unwrap();
    let written = man(dir.path()).unwrap();
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"hrsync.1".to_owned()), "{names:?}");
    assert!(names.contains(&"hrsync-check.1".to_owned()), "{names:?}");
    assert!(names.contains(&"hrsync-sync.1".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("generate")), "{names:?}");
    let page = std::fs::read_to_string(dir.path().join("hrsync.1")).unwrap();
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff: {page}");
    assert!(page.contains("hrsync\\-check(1)"), "{page}");
    assert!(page.contains("Exit codes"), "{page}");
}

#[test]
fn completions_are_written_for_bash_zsh_and_fish_and_know_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let written = completions(dir.path().join("nested").as_path()).unwrap();
    assert_eq!(written.len(), 3);
    let bash = std::fs::read_to_string(dir.path().join("nested/hrsync.bash")).unwrap();
    assert!(bash.contains("complete -F _hrsync"), "{bash}");
    assert!(bash.contains("history"), "{bash}");
    let zsh = std::fs::read_to_string(dir.path().join("nested/_hrsync")).unwrap();
    assert!(zsh.starts_with("#compdef hrsync"), "{zsh}");
    let fish = std::fs::read_to_string(dir.path().join("nested/hrsync.fish")).unwrap();
    assert!(fish.contains("complete -c hrsync"), "{fish}");
    assert!(
        fish.contains("-l all"),
        "history --all is completed: {fish}"
    );
}

#[test]
fn an_unwritable_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let err = man(&file).unwrap_err();
    assert!(err.to_string().contains("not-a-folder"), "{err}");
}
