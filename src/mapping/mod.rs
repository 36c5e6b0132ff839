//! Field mapping: turns an HR employee into the Okta profile hrsync wants, through templates
//! parsed once at config load. Pure: no I/O, no clock.

pub mod template;

pub use template::{Template, TemplateError};
