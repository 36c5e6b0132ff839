use super::*;
use crate::plan::testkit::{EmpExt, emp};

fn eval(expr: &str, e: &Employee) -> bool {
    ScopeExpr::parse(expr).unwrap().matches(e)
}

#[test]
fn equality_inequality_and_membership_compare_exact_field_values() {
    let e = emp("1", "Ada", "Lovelace").with("country", "UK");
    assert!(eval("department == 'Engineering'", &e));
    assert!(!eval("department != \"Engineering\"", &e));
    assert!(eval("country in ['DE', 'UK']", &e));
    assert!(!eval("country not in ['DE', 'UK',]", &e));
    assert!(
        !eval("department == 'engineering'", &e),
        "comparison is case-sensitive"
    );
}

#[test]
fn a_missing_field_compares_as_empty() {
    let e = emp("1", "Ada", "Lovelace");
    assert!(eval("site != 'Remote'", &e));
    assert!(eval("site == ''", &e));
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_and_not_work() {
    let e = emp("1", "Ada", "Lovelace").with("country", "UK");
    assert!(eval(
        "country == 'DE' and department == 'X' or country == 'UK'",
        &e
    ));
    assert!(!eval(
        "country == 'DE' and (department == 'X' or country == 'UK')",
        &e
    ));
    assert!(eval(
        "not (country == 'DE') and not department == 'Sales'",
        &e
    ));
    assert!(!eval("not not country == 'DE'", &e));
}

#[test]
fn scim_style_and_dotted_field_names_are_accepted_and_quotes_can_be_escaped() {
    let e = emp("1", "Ada", "Lovelace")
        .with(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
            "R&D",
        )
        .with("work.title", "O'Brien's \"boss\"");
    assert!(eval(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division == 'R&D'",
        &e
    ));
    assert!(eval(r#"work.title == 'O\'Brien\'s "boss"'"#, &e));
}

#[test]
fn parse_errors_name_the_position_and_what_was_expected() {
    let cases = [
        ("department = 'X'", 12, "use == or !="),
        ("department == X", 15, "a quoted string"),
        ("department == 'X", 15, "not closed"),
        ("(a == 'x'", 10, "')'"),
        ("a == 'x' b == 'y'", 10, "unexpected 'b'"),
        ("a in 'x'", 6, "'['"),
        ("a in []", 7, "a quoted string"),
        ("and == 'x'", 1, "a field name"),
        ("a == 'x' and", 13, "found the end"),
        ("a ~ 'x'", 3, "unexpected character"),
        ("a not == 'x'", 7, "'in' after 'not'"),
        ("", 1, "a field name"),
    ];
    for (src, position, needle) in cases {
        let e = ScopeExpr::parse(src).unwrap_err();
        assert_eq!(e.position, position, "{src}: {e}");
        assert!(e.message.contains(needle), "{src}: {e}");
    }
}

#[test]
fn the_source_is_kept() {
    assert_eq!(
        ScopeExpr::parse(" a == 'b' ").unwrap().source(),
        " a == 'b' "
    );
}

proptest::proptest! {
    #[test]
    fn parsing_never_panics_and_errors_point_inside_or_just_past_the_input(
        source in "[a-z ()\\[\\],'\"=!\\\\]{0,30}"
    ) {
        let e = emp("1", "Ada", "Lovelace");
        match ScopeExpr::parse(&source) {
            Ok(expr) => {
                let _ = expr.matches(&e);
            }
            Err(err) => proptest::prop_assert!(
                err.position >= 1 && err.position <= source.chars().count() + 1,
                "{source:?}: {err}"
            ),
        }
    }
}
