//! Attribute-by-attribute comparison of the wanted profile with the Okta user's: only
//! differences become changes; strings compare exactly (Okta stores what we send), values
//! of a typed attribute (Okta's schema: integer, boolean, number, array) after conversion and
//! by value; a cleared attribute equals an absent or null one. Pure.

use super::Change;
use super::build::Builder;
use crate::mapping::typed::{self, TypeError, ValueType};
use crate::mapping::{DesiredRef, render_attribute_into};
use crate::model::OktaUser;
use serde_json::Value;
use std::collections::BTreeMap;

/// Initial size of the render buffer: longer than most attribute values (names, emails,
/// titles), so it rarely grows.
const RENDER_CAPACITY: usize = 128;

/// Adds the change for one attribute when the Okta value differs from the wanted one.
/// `want = None` clears the attribute.
fn push(
    changes: &mut BTreeMap<String, Change>,
    attr: &str,
    want: Option<&str>,
    have: Option<&Value>,
) {
    let have = have.filter(|v| !v.is_null());
    let new = match want {
        Some(v) => {
            if matches!(have, Some(Value::String(s)) if s == v) {
                return;
            }
            Some(Value::String(v.to_owned()))
        }
        None => {
            if have.is_none() {
                return;
            }
            None
        }
    };
    changes.insert(
        attr.to_owned(),
        Change {
            old: have.cloned(),
            new,
        },
    );
}

/// Adds the change for one typed attribute when Okta's value differs ([`typed::same`]).
fn push_value(
    changes: &mut BTreeMap<String, Change>,
    attr: &str,
    want: Value,
    have: Option<&Value>,
) {
    let have = have.filter(|v| !v.is_null());
    if have.is_some_and(|h| typed::same(&want, h)) {
        return;
    }
    changes.insert(
        attr.to_owned(),
        Change {
            old: have.cloned(),
            new: Some(want),
        },
    );
}

/// The message of a record refused because a value does not fit the schema's type.
pub(super) fn type_refusal(employee: &str, attribute: &str, e: &TypeError) -> String {
    format!(
        "employee {employee}: attribute {attribute}: {e}; fix the HR value or the mapping (or the attribute's type in Okta)"
    )
}

impl Builder<'_> {
    /// The changes that bring `user` to employee `i`'s wanted profile (mapped attributes, the
    /// picked login, the anchor). Renders each attribute once, into one buffer, and allocates
    /// only for changes.
    pub(super) fn changes(
        &self,
        i: usize,
        user: &OktaUser,
    ) -> Result<BTreeMap<String, Change>, String> {
        let ctx = self.context(i);
        let anchor = &self.policy.anchor_attribute;
        let mut changes = BTreeMap::new();
        // One buffer for every attribute: only differences allocate.
        let mut buf = String::with_capacity(RENDER_CAPACITY);
        // Both maps are sorted by attribute name: walk them together instead of looking up.
        let mut current = user.profile.iter().peekable();
        for (name, mapping) in &self.policy.mapping.attributes {
            if name == "login" || name == anchor {
                continue;
            }
            while current.next_if(|(k, _)| *k < name.as_str()).is_some() {}
            let have = current
                .peek()
                .filter(|(k, _)| *k == name.as_str())
                .map(|(_, v)| *v);
            if let Some(want) =
                render_attribute_into(name, mapping, &ctx, &mut buf).map_err(|e| e.to_string())?
            {
                match (want, mapping.schema) {
                    // A string compares as rendered, without an allocation; only its length
                    // is checked.
                    (DesiredRef::Set(v), Some(schema))
                        if schema.value_type == ValueType::String =>
                    {
                        typed::check_length(v, &schema)
                            .map_err(|e| type_refusal(self.emps[i].id.as_str(), name, &e))?;
                        push(&mut changes, name, Some(v), have);
                    }
                    (DesiredRef::Set(v), Some(schema)) => {
                        let value = typed::convert(v, &schema)
                            .map_err(|e| type_refusal(self.emps[i].id.as_str(), name, &e))?;
                        push_value(&mut changes, name, value, have);
                    }
                    (DesiredRef::Set(v), _) => push(&mut changes, name, Some(v), have),
                    (DesiredRef::Clear, _) => push(&mut changes, name, None, have),
                }
            }
        }
        if let Some(login) = &self.logins[i] {
            push(
                &mut changes,
                "login",
                Some(login.as_ref()),
                user.profile.get("login"),
            );
        }
        let id = self.emps[i].id.as_str();
        push(
            &mut changes,
            anchor,
            Some(id),
            user.profile.get(anchor.as_str()),
        );
        Ok(changes)
    }
}
