use super::mask;

#[test]
fn masked_values_keep_only_the_first_character_and_the_length() {
    assert_eq!(mask("Kowalski"), "K…(8)");
    assert_eq!(mask("Zoë"), "Z…(3)");
    assert_eq!(mask(""), "(empty)");
}
