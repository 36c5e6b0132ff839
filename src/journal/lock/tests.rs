use super::*;

#[test]
fn a_second_run_lock_on_the_same_journal_is_refused_until_the_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.db");
    let first = RunLock::acquire(&journal).unwrap();
    let err = RunLock::acquire(&journal).unwrap_err().to_string();
    assert!(err.contains("another hrsync process"), "{err}");
    drop(first);
    RunLock::acquire(&journal).unwrap();
}

#[cfg(unix)]
#[test]
fn two_paths_to_one_journal_through_a_symbolic_link_take_one_lock() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("state");
    std::fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("alias")).unwrap();
    // Before the journal exists (the first run) and after.
    for create in [false, true] {
        if create {
            std::fs::write(real.join("journal.db"), b"").unwrap();
        }
        let first = RunLock::acquire(&real.join("journal.db")).unwrap();
        let err = RunLock::acquire(&dir.path().join("alias/journal.db")).unwrap_err();
        assert!(err.to_string().contains("another hrsync process"), "{err}");
        let err = RunLock::acquire(&dir.path().join("alias/../state/journal.db")).unwrap_err();
        assert!(err.to_string().contains("another hrsync process"), "{err}");
        drop(first);
    }
}
