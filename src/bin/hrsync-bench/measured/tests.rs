use super::*;

#[test]
fn the_last_line_of_the_childs_stdout_is_read_back() {
    let m = Measured {
        requests: BTreeMap::from([("list".to_owned(), 50)]),
        total: 50,
        peak_rss: 3 << 20,
        plan: "0 create (NoChanges)".into(),
        ..Measured::default()
    };
    let out = format!("noise\n{}\n", serde_json::to_string(&m).unwrap());
    assert_eq!(parse(&out).unwrap(), m);
}

#[test]
fn a_silent_child_is_an_error() {
    assert!(parse("").is_err());
}
