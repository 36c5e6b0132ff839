use super::*;
use serde_json::json;

fn map() -> ColumnMap {
    let columns: BTreeMap<String, String> = [
        ("id", "Employee_ID"),
        ("first_name", "Legal_Name_-_First_Name"),
        ("email", "Email_-_Primary_Work"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    ColumnMap::new(&columns)
}

fn row(value: Value) -> BTreeMap<String, String> {
    flatten_row(value.as_object().unwrap(), &map())
}

#[test]
fn mapped_columns_take_their_hrsync_name_and_the_others_keep_theirs() {
    let f = row(json!({
        "Employee_ID": "21001",
        "Legal_Name_-_First_Name": "Ada",
        "Email_-_Primary_Work": "ada.kowalski@example.com",
        "Active_Status": "1",
        "Termination_Date": "",
        "FTE": 1.0
    }));
    assert_eq!(f["id"], "21001");
    assert_eq!(f["first_name"], "Ada");
    assert_eq!(f["email"], "ada.kowalski@example.com");
    assert_eq!(f["Active_Status"], "1");
    assert_eq!(f["FTE"], "1", "a whole number in integer form");
    assert!(
        !f.contains_key("Employee_ID"),
        "read under its hrsync name only"
    );
    assert!(!f.contains_key("Termination_Date"), "blank is absent");
    assert_eq!(map().column_of("id"), Some("Employee_ID"));
    assert_eq!(map().column_of("Active_Status"), None);
}

#[test]
fn multi_valued_columns_are_joined_and_addressable_item_by_item() {
    let f = row(json!({
        "Roles": ["HR Partner", "Manager, Data"],
        "Emails": [{"Email": "a@example.com"}, {"Email": "b@example.com"}],
        "Phones": [
            {"Number": "+44 1", "Usage": "WORK"},
            {"Number": "+44 2", "Usage": "HOME"}
        ],
        "Supervisory_Organization": {"Descriptor": "Data Platform (Ada Kowalski)", "ID": "SUP-7"}
    }));
    assert_eq!(f["Roles"], "HR Partner; Manager, Data");
    assert_eq!(f["Roles.2"], "Manager, Data");
    assert_eq!(f["Emails"], "a@example.com; b@example.com");
    assert_eq!(f["Emails.1.Email"], "a@example.com");
    assert_eq!(f["Emails.Email"], "a@example.com; b@example.com");
    assert_eq!(f["Phones.Number"], "+44 1; +44 2");
    assert_eq!(f["Phones.2.Usage"], "HOME");
    assert!(
        !f.contains_key("Phones"),
        "items of several members have no one text"
    );
    assert_eq!(
        f["Supervisory_Organization.Descriptor"],
        "Data Platform (Ada Kowalski)"
    );
}

#[test]
fn hostile_values_are_bounded_and_never_panic() {
    let many: Vec<Value> = (0..1000).map(|i| json!(i)).collect();
    let f = row(json!({ "Many": many, "Nested": [[1, 2], null, {"x": null}], "Null": null }));
    assert_eq!(f["Many.100"], "99");
    assert!(!f.contains_key("Many.101"));
    assert!(!f.contains_key("Nested") && !f.contains_key("Null"));
}
