//! The one validation step after deserialization: the checks serde cannot make while a
//! section deserializes, because they need another key, another section or I/O. Every
//! mistake is recorded (the [`Checker`] keeps going after an error so that all are reported):
//! `[okta]` present with exactly one of `token` and `oauth`, whose secret is read here;
//! `[employee]` with `status` or `phase`, not both; `[mapping]` with the attributes Okta
//! requires, without the anchor, and options only for mapped attributes.
//!
//! Reads only secrets (env, files, credentials). Never puts a secret's value in a message.

use super::error::ConfigError;
use super::load::LoadContext;
use super::mapping::{DEFAULT_MAPPING, MappingTable, REQUIRED_ATTRIBUTES};
use super::okta::WrittenCredentials;
use super::secret::{Secret, SecretRef};
use super::types::*;
use crate::mapping::Template;
use std::collections::BTreeMap;
use std::ops::Range;

/// Checks the deserialized sections, collecting errors.
pub struct Checker<'a> {
    pub(super) ctx: &'a LoadContext<'a>,
    errors: Vec<ConfigError>,
    pub(super) failed: &'a [&'static str],
}

impl<'a> Checker<'a> {
    /// A checker with no errors yet.
    /// `failed` names sections that did not deserialize: they are not reported as missing.
    pub fn new(ctx: &'a LoadContext<'a>, failed: &'a [&'static str]) -> Self {
        Self {
            ctx,
            errors: Vec::new(),
            failed,
        }
    }

    /// The errors found.
    pub fn into_errors(self) -> Vec<ConfigError> {
        self.errors
    }

    /// Records an error.
    pub(super) fn err(&mut self, span: Option<Range<usize>>, key: &str, message: String) {
        self.errors.push(self.ctx.src.error_at(span, key, message));
    }

    /// Reads a secret from its reference; an error at the reference's position.
    pub(super) fn secret(&mut self, r: &SecretRef, at: &Range<usize>, key: &str) -> Option<Secret> {
        match r.resolve(&*self.ctx.env) {
            Ok(s) => Some(s),
            Err(e) => {
                self.err(Some(at.clone()), key, e.to_string());
                None
            }
        }
    }

    /// `[okta]`: the section must be there, with exactly one of `token` and `oauth`, whose
    /// secret is read here (the rest was checked while it deserialized). The credentials are
    /// read as written even when other keys are wrong, so that all mistakes show at once.
    pub fn okta(
        &mut self,
        okta: Option<&OktaConfig>,
        written: &WrittenCredentials,
    ) -> Option<OktaConfig> {
        if okta.is_none() && !self.failed.contains(&"okta") {
            self.err(
                None,
                "okta",
                "missing section [okta]; it needs org_url and token (or oauth)".into(),
            );
            return None;
        }
        let auth = match (&written.token, &written.oauth) {
            (Some((span, Some(t))), None) => self.secret(t, span, "okta.token").map(OktaAuth::Ssws),
            (None, Some((_, Some(o)))) => {
                let key = &o.private_key;
                let secret = self.secret(key.get_ref(), &key.span(), "okta.oauth.private_key");
                secret.map(|k| OktaAuth::OAuth(o.clone().with_key(k)))
            }
            (Some(_), Some((span, _))) => {
                let msg = "give either token or oauth, not both";
                self.err(Some(span.clone()), "okta.oauth", msg.into());
                None
            }
            (None, None) if okta.is_some() => {
                let msg = "no credentials; set token = { env = \"OKTA_API_TOKEN\" } (or file/credential), or oauth = { ... }";
                self.err(Some(written.section.clone()), "okta", msg.into());
                None
            }
            // Mis-typed, already reported.
            _ => None,
        };
        let mut okta = okta?.clone();
        okta.auth = auth?;
        Some(okta)
    }

    /// `[employee]`: the default when absent; `phase` replaces the status rule, and giving
    /// `status` too is a mistake. `written` holds where each key is written.
    pub fn employee(
        &mut self,
        employee: Option<&EmployeeConfig>,
        written: &BTreeMap<String, Range<usize>>,
    ) -> Option<EmployeeConfig> {
        let Some(employee) = employee else {
            return (!self.failed.contains(&"employee")).then(EmployeeConfig::default);
        };
        if let (Some(_), Some(phase)) = (
            written.get("employee.status"),
            written.get("employee.phase"),
        ) {
            self.err(
                Some(phase.clone()),
                "employee.phase",
                "give either status = { field, active, inactive } or phase = { field, pre_hire, employed, on_leave, notice, terminated }, not both; phase says more, so remove status".into(),
            );
            return None;
        }
        let mut employee = employee.clone();
        if let Some(phase) = employee.phase.take() {
            employee.status = phase;
        }
        Some(employee)
    }

    /// `[mapping]`: the built-in mapping when absent; else the attributes Okta requires (a
    /// refused one counts as written), not the `anchor`, and `values`, `on_empty` and `types`
    /// only for mapped attributes. `refused` names keys whose values were wrong.
    pub fn mapping(
        &mut self,
        table: Option<&MappingTable>,
        anchor: &str,
        written: &BTreeMap<String, Range<usize>>,
        refused: &[String],
    ) -> Option<MappingConfig> {
        let Some(table) = table else {
            return if self.failed.contains(&"mapping") {
                None
            } else {
                self.default_mapping()
            };
        };
        let mut ok = true;
        let mut attributes = BTreeMap::new();
        for (name, template) in &table.attributes {
            if name == anchor {
                let msg = format!(
                    "{name} is the anchor attribute (okta.anchor_attribute): hrsync fills it from the HR id; remove this line"
                );
                self.err(Some(template.span()), &format!("mapping.{name}"), msg);
                ok = false;
                continue;
            }
            attributes.insert(name.clone(), attribute(template.get_ref().clone()));
        }
        let missing: Vec<&str> = REQUIRED_ATTRIBUTES
            .into_iter()
            .filter(|a| {
                !table.attributes.contains_key(*a) && !refused.contains(&format!("mapping.{a}"))
            })
            .collect();
        if !missing.is_empty() {
            let msg = format!(
                "missing {}; Okta needs login, email, firstName and lastName to create a user",
                missing.join(", ")
            );
            self.err(written.get("mapping").cloned(), "mapping", msg);
            ok = false;
        }
        for (attr, values) in &table.values {
            match attributes.get_mut(attr.get_ref()) {
                Some(m) => m.values = values.clone(),
                None => ok &= self.unmapped(attr, "values"),
            }
        }
        for (attr, on_empty) in &table.on_empty {
            match attributes.get_mut(attr.get_ref()) {
                Some(m) => m.on_empty = *on_empty,
                None => ok &= self.unmapped(attr, "on_empty"),
            }
        }
        let mut types = BTreeMap::new();
        for (attr, ty) in &table.types {
            if attributes.contains_key(attr.get_ref()) {
                types.insert(attr.get_ref().clone(), *ty);
            } else {
                ok &= self.unmapped(attr, "types");
            }
        }
        let origins = table
            .attributes
            .iter()
            .map(|(name, t)| {
                let (line, _) = self.ctx.src.position(t.span().start);
                (name.clone(), format!("{}:{line}", self.ctx.src.file))
            })
            .collect();
        ok.then(|| MappingConfig {
            attributes,
            login_fallbacks: table.login_fallbacks.clone(),
            on_conflict: table.on_conflict,
            types,
            origins,
        })
    }

    fn unmapped(&mut self, attr: &toml::Spanned<String>, table: &str) -> bool {
        let key = format!("mapping.{table}.{}", attr.get_ref());
        let msg = format!(
            "{} is not a mapped attribute; add {} = \"{{...}}\" to [mapping] first",
            attr.get_ref(),
            attr.get_ref()
        );
        self.err(Some(attr.span()), &key, msg);
        false
    }

    fn default_mapping(&mut self) -> Option<MappingConfig> {
        let mut attributes = BTreeMap::new();
        for (name, source) in DEFAULT_MAPPING {
            match Template::parse(source) {
                Ok(template) => {
                    attributes.insert(name.to_owned(), attribute(template));
                }
                Err(e) => {
                    let msg = format!(
                        "the built-in default template {source:?} does not parse: {e}; write a [mapping] section"
                    );
                    self.err(None, &format!("mapping.{name}"), msg);
                    return None;
                }
            }
        }
        Some(MappingConfig {
            attributes,
            login_fallbacks: Vec::new(),
            on_conflict: OnConflict::Report,
            types: BTreeMap::new(),
            origins: BTreeMap::new(),
        })
    }
}

/// A mapped attribute with no translations, kept when empty, its schema not read yet.
fn attribute(template: Template) -> AttributeMapping {
    AttributeMapping {
        template,
        values: BTreeMap::new(),
        on_empty: OnEmpty::Keep,
        schema: None,
    }
}
