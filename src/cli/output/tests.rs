use super::*;

#[test]
fn colour_needs_a_terminal_and_no_no_color() {
    assert!(colour(true, None));
    assert!(
        colour(true, Some(OsStr::new(""))),
        "an empty NO_COLOR is unset"
    );
    assert!(!colour(true, Some(OsStr::new("1"))));
    assert!(!colour(false, None));
}

#[test]
fn the_plan_formats_pick_blocks_a_table_or_no_text() {
    assert_eq!(
        PlanFormat::Text.text_options(true),
        Some(TextOptions {
            layout: Layout::Blocks,
            colour: true
        })
    );
    assert_eq!(
        PlanFormat::Table.text_options(false).map(|o| o.layout),
        Some(Layout::Table)
    );
    assert_eq!(PlanFormat::Json.text_options(true), None);
}
