use super::*;

#[test]
fn without_rust_log_hrsync_logs_at_info_and_others_at_warn() {
    let f = filter(0, None).to_string();
    assert!(f.contains("hrsync=info") && f.contains("warn"), "{f}");
}

#[test]
fn each_v_raises_hrsync_s_level() {
    assert!(filter(1, None).to_string().contains("hrsync=debug"));
    assert!(filter(2, None).to_string().contains("hrsync=trace"));
    assert!(filter(5, None).to_string().contains("hrsync=trace"));
}

#[test]
fn rust_log_is_honoured_and_v_still_applies_on_top() {
    let f = filter(0, Some("reqwest=debug")).to_string();
    assert!(f.contains("reqwest=debug") && !f.contains("hrsync"), "{f}");
    let f = filter(1, Some("error")).to_string();
    assert!(f.contains("hrsync=debug") && f.contains("error"), "{f}");
}
