use super::*;

const LIMITS: &str = "Limit                     Soft Limit           Hard Limit           Units     \n\
Max cpu time              unlimited            unlimited            seconds   \n\
Max open files            256                  524288               files     \n\
Max locked memory         8388608              8388608              bytes     \n";

#[test]
fn the_soft_open_files_limit_is_read_from_proc_self_limits() {
    assert_eq!(parse_limits(LIMITS), Some(256));
    let unlimited = LIMITS.replace("256       ", "unlimited ");
    assert_eq!(parse_limits(&unlimited), None);
    assert_eq!(parse_limits("garbage"), None);
    assert_eq!(parse_limits(""), None);
}

#[test]
fn this_process_has_a_readable_open_files_limit() {
    assert!(open_files_limit().is_some_and(|n| n > 0));
}

#[test]
fn the_cap_leaves_the_run_reserve_and_never_drops_to_zero() {
    assert_eq!(connection_cap(64, Some(1024)), 64);
    assert_eq!(connection_cap(64, Some(192)), 64);
    assert_eq!(connection_cap(64, Some(160)), 32);
    assert_eq!(connection_cap(64, Some(100)), 1);
    assert_eq!(connection_cap(64, None), 64);
}
