use super::*;
use crate::config::{HiBobSourceConfig, Secret};

#[test]
fn a_hibob_config_builds_the_hibob_source() {
    let employee = record::tests::cfg();
    let source = SourceConfig::HiBob(HiBobSourceConfig {
        base_url: "https://api.hibob.com/v1".parse().unwrap(),
        service_user_id: Secret::new("id"),
        token: Secret::new("t"),
        fields: vec![],
        named_lists: Default::default(),
        webhook_secret: None,
        webhook_min_interval: std::time::Duration::from_secs(30),
        request_timeout: std::time::Duration::from_secs(120),
        max_response_bytes: 1 << 30,
    });
    let source = AnySource::from_config(&source, &employee).unwrap();
    assert!(matches!(source, AnySource::HiBob(_)));
    assert_eq!(source.describe(), "HiBob https://api.hibob.com/v1");
}
