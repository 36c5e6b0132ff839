use super::*;
use std::collections::HashMap;

struct Map(HashMap<FieldRef, Option<&'static str>>);

impl FieldLookup for Map {
    fn lookup(&self, field: &FieldRef) -> Resolved<'_> {
        match self.0.get(field) {
            Some(Some(v)) => Resolved::Value(Cow::Borrowed(*v)),
            Some(None) => Resolved::Pending,
            None => Resolved::Missing,
        }
    }
}

fn own(pairs: &[(&str, &'static str)]) -> Map {
    Map(pairs
        .iter()
        .map(|(k, v)| (FieldRef::Own((*k).to_owned()), Some(*v)))
        .collect())
}

fn render(template: &str, lookup: &Map) -> Rendered {
    Template::parse(template).unwrap().render(lookup).unwrap()
}

fn value(s: &str) -> Rendered {
    Rendered::Value(s.to_owned())
}

#[test]
fn a_login_template_lowercases_and_transliterates_names() {
    let rec = own(&[("first_name", "Zoë"), ("last_name", "Ångström")]);
    assert_eq!(
        render(
            "{first_name|ascii|lower}.{last_name|ascii|lower}@example.com",
            &rec
        ),
        value("zoe.angstrom@example.com")
    );
}

#[test]
fn ascii_handles_letters_that_do_not_decompose() {
    let rec = own(&[("n", "Łukasz Wójcik Søren Kierkegård Straße")]);
    assert_eq!(
        render("{n|ascii}", &rec),
        value("Lukasz Wojcik Soren Kierkegard Strasse")
    );
}

#[test]
fn upper_trim_and_literal_braces_work() {
    let rec = own(&[("d", "  eng ")]);
    assert_eq!(render("{{{d|trim|upper}}}", &rec), value("{ENG}"));
}

#[test]
fn scim_style_and_dotted_field_names_are_fields() {
    let t = Template::parse(
        "{urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department|lower} {name.givenName}",
    )
    .unwrap();
    let fields: Vec<_> = t.fields().cloned().collect();
    assert_eq!(
        fields,
        vec![
            FieldRef::Own(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department".into()
            ),
            FieldRef::Own("name.givenName".into())
        ]
    );
    let rec = own(&[
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "ENG",
        ),
        ("name.givenName", "Ada"),
    ]);
    assert_eq!(t.render(&rec).unwrap(), value("eng Ada"));
}

#[test]
fn manager_fields_and_okta_pseudo_fields_are_recognised() {
    let t = Template::parse("{manager.email}{manager.okta_login}{manager.okta_id}").unwrap();
    let fields: Vec<_> = t.fields().cloned().collect();
    assert_eq!(
        fields,
        vec![
            FieldRef::Manager("email".into()),
            FieldRef::ManagerOktaLogin,
            FieldRef::ManagerOktaId
        ]
    );
}

#[test]
fn a_missing_field_makes_the_whole_value_empty() {
    let rec = own(&[("first_name", "Ada")]);
    assert_eq!(render("{first_name} {last_name}", &rec), Rendered::Empty);
    assert_eq!(render("{email}", &own(&[("email", "")])), Rendered::Empty);
}

#[test]
fn default_fills_a_missing_or_emptied_value() {
    let rec = own(&[("blank", "   ")]);
    assert_eq!(render("{nothing|default:n/a}", &rec), value("n/a"));
    assert_eq!(render("{blank|trim|default:none}", &rec), value("none"));
    assert_eq!(render("x{nothing|default:}", &rec), value("x"));
}

#[test]
fn a_pending_field_makes_the_value_pending() {
    let map = Map([(FieldRef::ManagerOktaId, None)].into_iter().collect());
    assert_eq!(
        render("{manager.okta_id|default:x}", &map),
        Rendered::Pending
    );
}

#[test]
fn dates_are_reformatted_and_non_dates_are_errors_naming_the_field() {
    let rec = own(&[
        ("d", "2026-12-01"),
        ("t", "2026-12-01T10:00:00Z"),
        ("bad", "soon"),
    ]);
    assert_eq!(render("{d|date:%d/%m/%Y}", &rec), value("01/12/2026"));
    assert_eq!(render("{t|date:%Y-%m-%d}", &rec), value("2026-12-01"));
    let e = Template::parse("{bad|date:%Y}")
        .unwrap()
        .render(&rec)
        .unwrap_err();
    assert!(e.message.contains("field bad"), "{e}");
}

#[test]
fn formatting_a_plain_date_with_a_time_specifier_is_an_error_not_a_panic() {
    let rec = own(&[("d", "2026-12-01")]);
    let e = Template::parse("{d|date:%H:%M}").unwrap().render(&rec);
    assert!(e.is_err());
}

#[test]
fn parse_errors_name_the_position() {
    let cases = [
        ("{first_name|shout}", 13, "unknown filter 'shout'"),
        ("abc{first_name", 4, "not closed"),
        ("a}b", 2, "unmatched '}'"),
        ("{}", 2, "empty field name"),
        ("{a|date}", 4, "needs a format"),
        ("{a|date:%Q}", 4, "invalid date format"),
        ("{a|lower:x}", 4, "takes no argument"),
        ("{first name}", 7, "whitespace"),
        ("{manager.}", 2, "empty manager field"),
    ];
    for (source, position, needle) in cases {
        let e = Template::parse(source).unwrap_err();
        assert_eq!(e.position, position, "{source}: {e}");
        assert!(e.message.contains(needle), "{source}: {e}");
    }
}

#[test]
fn the_source_is_kept_as_written() {
    let t = Template::parse("{ first_name | lower }").unwrap();
    assert_eq!(t.source(), "{ first_name | lower }");
    assert_eq!(t.to_string(), "{ first_name | lower }");
    assert_eq!(
        t.render(&own(&[("first_name", "ADA")])).unwrap(),
        value("ada")
    );
}

proptest::proptest! {
    #[test]
    fn parsing_and_rendering_never_panic(source in "[{}|:a-z%YmdH .\\-]{0,24}", value in "\\PC{0,12}") {
        if let Ok(t) = Template::parse(&source) {
            let fields: Vec<FieldRef> = t.fields().cloned().collect();
            let leaked: &'static str = Box::leak(value.into_boxed_str());
            let map = Map(fields.into_iter().map(|f| (f, Some(leaked))).collect());
            let _ = t.render(&map);
        }
    }
}
