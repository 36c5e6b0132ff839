use super::*;

#[test]
fn cpu_time_is_read_after_a_command_name_with_spaces_and_parentheses() {
    let line = "1234 (my (odd) bin) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 4 0 100 1000 50";
    assert_eq!(cpu_of_stat(line), Some(Duration::from_millis(3000)));
}

#[test]
fn status_fields_are_read_in_bytes() {
    let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
    assert_eq!(status_field(status, "VmHWM"), Some(2048 * 1024));
    assert_eq!(status_field(status, "VmRSS"), Some(1024 * 1024));
    assert_eq!(status_field(status, "VmSwap"), None);
}

#[test]
fn resetting_the_peak_brings_it_down_to_the_current_rss() {
    let big = vec![1u8; 64 * 1024 * 1024];
    assert!(big.iter().map(|b| u64::from(*b)).sum::<u64>() > 0);
    drop(big);
    let before = peak_rss().unwrap();
    assert!(reset_peak_rss());
    let after = peak_rss().unwrap();
    assert!(after + 32 * 1024 * 1024 < before, "{before} -> {after}");
}

#[test]
fn this_process_has_a_peak_rss_and_some_cpu_time() {
    assert!(peak_rss().is_some_and(|b| b > 0));
    assert!(rss().is_some_and(|b| b > 0));
    assert!(cpu_time().is_some());
}
