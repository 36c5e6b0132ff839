use super::*;
use serde_json::json;

#[test]
fn the_spec_example_keeps_id_status_and_two_profile_attributes() {
    let p = Projection::parse("status,profile:(firstName,city)").unwrap();
    let user = json!({"id": "00u1", "status": "ACTIVE", "created": "x",
        "profile": {"firstName": "Alice", "lastName": "L", "city": "Chicago"}, "_links": {}});
    assert_eq!(
        p.apply(user),
        json!({"id": "00u1", "status": "ACTIVE", "profile": {"firstName": "Alice", "city": "Chicago"}})
    );
}

#[test]
fn malformed_projections_are_refused() {
    for bad in [
        "status,",
        "profile:(firstName",
        "sta tus",
        "profile:(a b)",
        ",status",
    ] {
        assert_eq!(
            Projection::parse(bad).unwrap_err().code,
            "E0000001",
            "{bad}"
        );
    }
}
