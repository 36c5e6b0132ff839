use super::*;

#[test]
fn a_template_error_position_points_inside_the_quoted_value() {
    // `x = "{a}é{"`: the value starts at byte 4 (the quote); character 5 is the last '{'.
    let v = Spanned::new(4..12, "{a}é{".to_owned());
    assert_eq!(inner_span(&v, 1), 5..6);
    assert_eq!(inner_span(&v, 5), 10..11);
}
