use super::*;

fn finished(findings: &Findings) -> (ExitCode, String) {
    let mut out = Vec::new();
    let code = findings.finish(&mut out).unwrap();
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn no_problem_ends_with_ok_and_exits_0() {
    let mut findings = Findings::default();
    findings.warnings(2);
    let (code, out) = finished(&findings);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(out, "\nhrsync check: OK, 2 warnings above\n");
}

#[test]
fn problems_are_listed_with_their_fixes_before_a_failed_verdict_that_exits_1() {
    let mut findings = Findings::default();
    findings.problem(Problem::new("the HR file is empty", "export it again"));
    findings.problem(Problem::new("Okta cannot be written", "grant a role"));
    let (code, out) = finished(&findings);
    assert_eq!(code, ExitCode::FAILURE);
    assert_eq!(
        out,
        "\nProblems:\n  ✗ the HR file is empty → fix: export it again\n  ✗ Okta cannot be written → fix: grant a role\nhrsync check: FAILED, 2 problems\n"
    );
    assert!(findings.failed());
}
