//! Field mapping: turns an HR employee into the Okta profile hrsync wants, through templates
//! parsed once at config load. Pure: no I/O, no clock; it decides neither logins' uniqueness
//! nor lifecycle (that is the planner's job).

pub mod profile;
pub mod template;
pub mod typed;

pub use profile::{
    Desired, DesiredProfile, DesiredRef, ManagerOkta, MappingContext, MappingError,
    desired_profile, referenced_fields, render_attribute, render_attribute_into,
};
pub use template::{
    FieldLookup, FieldRef, Filled, RenderError, Rendered, Resolved, Template, TemplateError,
};
