//! What an HR API source read, before the shared record rules (`source::record`) turn it into
//! a [`super::Snapshot`]: one flattened record per employee, and the requested fields no
//! employee had. Shared by the BambooHR, Personio, Workday and SCIM sources.
//!
//! Plain data; no I/O.

use std::collections::BTreeMap;

/// One employee as the HR API returned it, flattened: field name → text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulledRecord {
    /// `<vendor>:<id>` (or `<vendor>:#<position>` without an id), for messages.
    pub origin: String,
    /// The fields, by the names templates and `[employee]` use.
    pub fields: BTreeMap<String, String>,
}

/// The result of one read, before the shared record rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// Every employee, in the API's order.
    pub records: Vec<PulledRecord>,
    /// Requested fields no employee has (not readable with these credentials, or a wrong
    /// name), for `hrsync check`. Required fields missing everywhere fail the fetch instead.
    pub withheld: Vec<String>,
}
