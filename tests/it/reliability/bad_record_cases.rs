//! The catalogue of bad HR records for `bad_records`: each kind, its CSV row(s) and how it
//! must end (refused with a field, reasoned, not provisioned, or applied with a check).

use hrsync::model::OktaUser;

/// The `[employee] status` rule the catalogue runs with: known inactive values are listed, so
/// an unknown status is refused rather than read as inactive.
pub const INACTIVE_LISTED: &str =
    r#"{ field = "status", active = ["Active"], inactive = ["Inactive", "Terminated"] }"#;

/// How a kind of bad record must end.
#[derive(Clone, Copy)]
pub enum Expect {
    /// Refused by the source on each of its lines, naming this field (`None`: the whole row).
    Refused(Option<&'static str>),
    /// A finding or a failed action naming the employee.
    Reasoned,
    /// Refused, or a finding/failure naming the employee.
    RefusedOrReasoned,
    /// Accepted but not provisioned (an inactive status): no Okta user, nobody touched.
    NotProvisioned,
    /// Applied; the check holds on the employee's Okta user.
    Applied(fn(&OktaUser) -> bool),
}

pub struct Case {
    /// What is wrong with the record.
    pub kind: &'static str,
    /// The employee id (the first, when the case has two rows).
    pub id: &'static str,
    /// The CSV rows (columns of the roster header).
    pub rows: Vec<[String; 11]>,
    /// How it must end.
    pub expect: Expect,
}

/// A valid record for `id`.
fn base(id: &str) -> [String; 11] {
    [
        id,
        "Good",
        "Record",
        &format!("emp{id}@example.com"),
        "Analyst",
        "Finance",
        "",
        "Active",
        "2024-02-01",
        "",
        "Europe/Berlin",
    ]
    .map(str::to_owned)
}

/// `base(id)` with column `col` set to `value`.
fn with(id: &str, col: usize, value: &str) -> [String; 11] {
    let mut r = base(id);
    r[col] = value.to_owned();
    r
}

/// One CSV line, quoting where needed.
pub fn line(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}

// Column indexes.
pub const ID: usize = 0;
const FIRST: usize = 1;
const LAST: usize = 2;
const EMAIL: usize = 3;
const TITLE: usize = 4;
const DEPT: usize = 5;
const MANAGER: usize = 6;
const STATUS: usize = 7;
const START: usize = 8;
const END: usize = 9;
const TZ: usize = 10;

fn case(kind: &'static str, id: &'static str, row: [String; 11], expect: Expect) -> Case {
    Case {
        kind,
        id,
        rows: vec![row],
        expect,
    }
}

pub fn cases() -> Vec<Case> {
    use Expect::*;
    let mut long_email = "x".repeat(300);
    long_email.push_str("@example.com");
    vec![
        case("missing id", "", with("", ID, ""), Refused(Some("id"))),
        Case {
            kind: "duplicate id",
            id: "2002",
            rows: vec![base("2002"), with("2002", EMAIL, "other2002@example.com")],
            expect: Refused(None),
        },
        Case {
            kind: "duplicate email across two employees",
            id: "2003",
            rows: vec![
                with("2003", EMAIL, "shared@example.com"),
                with("2004", EMAIL, "shared@example.com"),
            ],
            // Never an account with another person's mailbox: both get a shared_email
            // conflict naming the other, and no account.
            expect: Reasoned,
        },
        case(
            "invalid email",
            "2005",
            with("2005", EMAIL, "not-an-email"),
            Refused(Some("email")),
        ),
        case(
            "email with uppercase and whitespace",
            "2006",
            with("2006", EMAIL, "  Mixed.Case2006@Example.COM "),
            Applied(|u| u.login() == Some("mixed.case2006@example.com")),
        ),
        case(
            "10,000-character field",
            "2007",
            with("2007", TITLE, &"t".repeat(10_000)),
            Refused(Some("title")),
        ),
        case(
            "control character",
            "2008",
            with("2008", FIRST, "Be\u{7}ll"),
            Refused(Some("first_name")),
        ),
        case(
            "right-to-left override",
            "2009",
            with("2009", LAST, "evil\u{202E}txt.exe"),
            Refused(Some("last_name")),
        ),
        case(
            "NUL character",
            "2010",
            with("2010", DEPT, "Fin\0ance"),
            Refused(Some("department")),
        ),
        case(
            "invalid date 2026-02-30",
            "2011",
            with("2011", START, "2026-02-30"),
            Refused(Some("start_date")),
        ),
        // Kept: a termination before the start is an earlier employment's (a rehire), which
        // the planner ignores for a working person.
        case(
            "start date after termination date",
            "2012",
            {
                let mut r = with("2012", START, "2025-05-01");
                r[END] = "2025-04-01".into();
                r
            },
            Applied(|u| u.status.is_activated()),
        ),
        // With `status.inactive` configured ([`INACTIVE_LISTED`]), a status in neither list is
        // refused. Without the list it would count as inactive: see `unknown_status.rs`.
        case(
            "unknown status value",
            "2013",
            with("2013", STATUS, "Zombie"),
            Refused(Some("status")),
        ),
        case(
            "inactive status in another case",
            "2039",
            with("2039", STATUS, "TERMINATED"),
            NotProvisioned,
        ),
        case(
            "unknown time zone",
            "2014",
            with("2014", TZ, "Mars/Olympus_Mons"),
            Refused(Some("site_timezone")),
        ),
        case(
            "template producing an empty login",
            "2015",
            with("2015", EMAIL, ""),
            RefusedOrReasoned,
        ),
        Case {
            kind: "manager cycle",
            id: "2016",
            rows: vec![with("2016", MANAGER, "2017"), with("2017", MANAGER, "2016")],
            expect: Applied(|u| u.attr("employeeNumber").is_some()),
        },
        case(
            "manager pointing to nobody",
            "2018",
            with("2018", MANAGER, "9999"),
            Applied(|u| u.attr("employeeNumber") == Some("2018")),
        ),
        case(
            "double quote in a name",
            "2019",
            with("2019", LAST, "O\"Brien"),
            Applied(|u| u.attr("lastName") == Some("O\"Brien")),
        ),
        case(
            "apostrophe in the email (breaks naive search expressions)",
            "2020",
            with("2020", EMAIL, "o'neil2020@example.com"),
            Applied(|u| u.login() == Some("o'neil2020@example.com")),
        ),
        case(
            "search-expression injection in a name",
            "2021",
            with("2021", LAST, "x\" or profile.login sw \""),
            Applied(|u| u.attr("lastName") == Some("x\" or profile.login sw \"")),
        ),
        case(
            "backslash in a name",
            "2022",
            with("2022", FIRST, "Back\\slash"),
            Applied(|u| u.attr("firstName") == Some("Back\\slash")),
        ),
        case(
            "missing status",
            "2023",
            with("2023", STATUS, ""),
            Refused(Some("status")),
        ),
        case(
            "date in the wrong format",
            "2024",
            with("2024", START, "03/04/2024"),
            Refused(Some("start_date")),
        ),
        case(
            "implausible year",
            "2025",
            with("2025", START, "1800-01-01"),
            Refused(Some("start_date")),
        ),
        case(
            "tab in a name",
            "2026",
            with("2026", FIRST, "Ta\tb"),
            Refused(Some("first_name")),
        ),
        case(
            "newline inside a quoted field",
            "2027",
            with("2027", TITLE, "two\nlines"),
            Refused(Some("title")),
        ),
        case(
            "byte-order mark inside a value",
            "2028",
            with("2028", FIRST, "Bo\u{FEFF}m"),
            Refused(Some("first_name")),
        ),
        case(
            "two @ in the email",
            "2029",
            with("2029", EMAIL, "a@@example.com"),
            Refused(Some("email")),
        ),
        case(
            "termination as an RFC 3339 date-time",
            "2030",
            with("2030", END, "2031-01-01T00:00:00Z"),
            Applied(|u| u.attr("employeeNumber") == Some("2030")),
        ),
        case(
            "emoji and diacritics in a name",
            "2031",
            with("2031", FIRST, "Zoë 🚀"),
            Applied(|u| u.attr("firstName") == Some("Zoë 🚀")),
        ),
        case(
            "300-character email",
            "2032",
            with("2032", EMAIL, &long_email),
            RefusedOrReasoned,
        ),
        case(
            "id with surrounding spaces",
            "2033",
            with("2033", ID, " 2033 "),
            Applied(|u| u.attr("employeeNumber") == Some("2033")),
        ),
        case(
            "login already held by an unmanaged Okta user",
            "2034",
            with("2034", EMAIL, "taken@example.com"),
            Reasoned,
        ),
        case(
            "whitespace-only required name",
            "2035",
            with("2035", FIRST, "   "),
            RefusedOrReasoned,
        ),
        case(
            "id of 300 characters",
            "",
            with("", ID, &"9".repeat(300)),
            Refused(Some("id")),
        ),
        case(
            "control character in the manager id",
            "2037",
            with("2037", MANAGER, "12\u{1}3"),
            Refused(Some("manager_id")),
        ),
        case(
            "status in another case",
            "2038",
            with("2038", STATUS, "ACTIVE"),
            Applied(|u| u.attr("employeeNumber") == Some("2038")),
        ),
    ]
}
