//! Loading: read the TOML file, deserialize each section into [`RawConfig`] (a mistake in one
//! section does not hide mistakes in another), then [`Config::from_raw`] validates every value
//! and resolves secrets, collecting every error with file:line:col and key path.
//!
//! Reads the config file, secret files and environment variables; nothing else. Never logs or
//! reports a secret's value.

use super::checks::Checker;
use super::error::{ConfigError, ConfigErrors, SourceText};
use super::raw::RawConfig;
use super::section::{section, section_partial};
use super::source;
use super::types::{ActivationMode, Config, EmployeeConfig, JournalConfig};
use super::value::{EnvLookup, Scope, with_scope};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The top-level sections, in the order errors list them.
const SECTIONS: [&str; 11] = [
    "okta",
    "source",
    "employee",
    "mapping",
    "activation",
    "termination",
    "safety",
    "schedule",
    "journal",
    "server",
    "ha",
];

/// Everything `from_raw` needs besides the raw values: the text (for positions), the folder
/// relative paths are resolved against, and how environment variables are read.
pub struct LoadContext<'a> {
    /// The file name and text, for error positions.
    pub src: SourceText<'a>,
    /// The config file's folder (absolute).
    pub base_dir: PathBuf,
    /// Looks up environment variables (`std::env::var` in production, a map in tests).
    pub env: EnvLookup,
}

/// Reads the process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Config {
    /// Loads, validates and resolves the configuration file at `path`, reading secrets from
    /// the process environment.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        Self::load_with(path, process_env)
    }

    /// Like [`Config::load`] with a chosen environment lookup.
    pub fn load_with(
        path: &Path,
        env: impl Fn(&str) -> Option<String> + 'static,
    ) -> Result<Config, ConfigErrors> {
        let env: EnvLookup = Rc::new(env);
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigErrors(vec![ConfigError {
                file: file.clone(),
                position: None,
                key: String::new(),
                message: format!("cannot read the configuration file: {e}"),
            }])
        })?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let base_dir = absolute
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let ctx = LoadContext {
            src: SourceText {
                file: &file,
                text: &text,
            },
            base_dir: base_dir.clone(),
            env: env.clone(),
        };
        let scope = Scope { base_dir, env };
        let (raw, mut errors, failed) = with_scope(scope, || parse_sections(ctx.src))?;
        match validate(&raw, &ctx, &failed) {
            Ok(mut config) if errors.is_empty() => {
                config.path = absolute;
                Ok(config)
            }
            Ok(_) => Err(sorted(errors)),
            Err(more) => {
                errors.extend(more);
                Err(sorted(errors))
            }
        }
    }

    /// Validates raw values into a [`Config`], resolving secrets and relative paths. Every
    /// mistake found is returned, in file order.
    pub fn from_raw(raw: &RawConfig, ctx: &LoadContext<'_>) -> Result<Config, ConfigErrors> {
        validate(raw, ctx, &[]).map_err(sorted)
    }
}

/// Errors in file order (those without a position last).
fn sorted(mut errors: Vec<ConfigError>) -> ConfigErrors {
    errors.sort_by_key(|e| e.position.unwrap_or((usize::MAX, 0)));
    ConfigErrors(errors)
}

/// Validates every section; `failed` names sections whose TOML types were already wrong (they
/// are not reported again as missing).
fn validate(
    raw: &RawConfig,
    ctx: &LoadContext<'_>,
    failed: &[&'static str],
) -> Result<Config, Vec<ConfigError>> {
    let mut c = Checker::new(ctx, failed);
    let okta = c.okta(raw.okta.as_ref(), &raw.okta_credentials);
    let source = match &raw.source {
        Some(source) => Some(source.clone()),
        None if failed.contains(&"source") => None,
        None => {
            let msg = "missing section [source]; e.g. type = \"file\", path = \"employees.csv\"";
            c.err(None, "source", msg.into());
            None
        }
    };
    let employee = c.employee(raw.employee.as_ref(), &raw.written);
    // The anchor as written, so that mapping it is reported even if [okta] has mistakes.
    let anchor = raw
        .anchor_as_written
        .as_deref()
        .unwrap_or(super::okta::DEFAULT_ANCHOR);
    let mapping = c.mapping(raw.mapping.as_ref(), anchor, &raw.written, &raw.refused);
    let activation = Some(raw.activation.clone().unwrap_or_default());
    let termination = Some(raw.termination.clone().unwrap_or_default());
    let safety = Some(raw.safety.clone().unwrap_or_default());
    let schedule = Some(raw.schedule.clone().unwrap_or_default());
    let journal = Some(
        raw.journal
            .clone()
            .unwrap_or_else(|| JournalConfig::default_with(&*ctx.env)),
    );
    let server = Some(raw.server.clone().unwrap_or_default());
    if let Some(msg) = server
        .as_ref()
        .and_then(crate::config::ServerConfig::console_mistake)
    {
        c.err(None, "server.console", msg.into());
    }
    let ha = raw.ha.clone().unwrap_or_default();
    if raw.ha.is_some() && journal.as_ref().is_some_and(|j| j.url.is_none()) {
        let msg = "[ha] needs a journal that the instances share: set [journal] url = { env = \"HRSYNC_JOURNAL_URL\" } (a postgres:// URL), or remove [ha] to run one instance on the SQLite journal";
        c.err(None, "ha", msg.into());
    }
    let errors = c.into_errors();
    if !errors.is_empty() {
        return Err(errors);
    }
    match (
        okta,
        source,
        employee,
        mapping,
        activation,
        termination,
        safety,
        schedule,
        journal,
        server,
    ) {
        (
            Some(okta),
            Some(source),
            Some(employee),
            Some(mapping),
            Some(activation),
            Some(termination),
            Some(safety),
            Some(schedule),
            Some(journal),
            Some(server),
        ) => Ok(Config {
            path: ctx.src.file.into(),
            employee: EmployeeConfig {
                require_start_date: activation.mode == ActivationMode::StartDate,
                max_records: safety.max_employees,
                ..employee
            },
            okta,
            source,
            mapping,
            activation,
            termination,
            safety,
            schedule,
            journal,
            server,
            ha,
        }),
        // A section missing here failed to deserialize and is already reported.
        _ if !failed.is_empty() => Err(Vec::new()),
        _ => Err(vec![ctx.src.error_at(
            None,
            "",
            "the configuration is incomplete",
        )]),
    }
}

/// Parses the TOML text into a [`RawConfig`], one section at a time so that a mistake in one
/// section does not hide mistakes in others. Syntax errors stop at the first.
pub fn parse_raw(src: SourceText<'_>) -> Result<RawConfig, ConfigErrors> {
    let (raw, errors, _) = parse_sections(src)?;
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(sorted(errors))
    }
}

/// The sections that deserialized, the errors of those that did not, and their names. Only a
/// TOML syntax error is returned as `Err`.
type Sections = (RawConfig, Vec<ConfigError>, Vec<&'static str>);

fn parse_sections(src: SourceText<'_>) -> Result<Sections, ConfigErrors> {
    let doc = DeTable::parse(src.text).map_err(|e| {
        ConfigErrors(vec![src.error_at(
            e.span(),
            "",
            format!("not valid TOML: {}", e.message().trim_end()),
        )])
    })?;
    let mut raw = RawConfig::default();
    let mut errors = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        let name: &str = key.get_ref().as_ref();
        let r = &mut errors;
        match name {
            "okta" => {
                raw.anchor_as_written = written_string(value, "anchor_attribute");
                raw.okta_credentials = super::okta::WrittenCredentials::of(value);
                raw.okta = section(src, name, value, r);
            }
            "source" => raw.source = source::parse(src, value, r),
            "employee" => {
                raw.written.extend(written_keys(name, value));
                raw.employee = section_partial(src, name, value, r, &mut raw.refused);
            }
            "mapping" => {
                raw.written.extend(written_keys(name, value));
                raw.mapping = section_partial(src, name, value, r, &mut raw.refused);
            }
            "activation" => raw.activation = section(src, name, value, r),
            "termination" => raw.termination = section(src, name, value, r),
            "safety" => raw.safety = section(src, name, value, r),
            "schedule" => raw.schedule = section(src, name, value, r),
            "journal" => raw.journal = section(src, name, value, r),
            "server" => raw.server = section(src, name, value, r),
            "ha" => raw.ha = section(src, name, value, r),
            other => errors.push(src.error_at(
                Some(key.span()),
                other,
                format!(
                    "unknown section [{other}]; expected one of {}",
                    SECTIONS.join(", ")
                ),
            )),
        }
    }
    let failed = SECTIONS
        .into_iter()
        .filter(|s| {
            errors
                .iter()
                .any(|e| e.key == *s || e.key.starts_with(&format!("{s}.")))
        })
        .collect();
    Ok((raw, errors, failed))
}

/// `section.key` → the span of its value, for every key of a section table as written.
fn written_keys(
    name: &str,
    section: &Spanned<DeValue<'_>>,
) -> Vec<(String, std::ops::Range<usize>)> {
    let mut keys = vec![(name.to_owned(), section.span())];
    if let DeValue::Table(t) = section.get_ref() {
        keys.extend(
            t.iter()
                .map(|(k, v)| (format!("{name}.{}", k.get_ref()), v.span())),
        );
    }
    keys
}

/// The string at `key` of a section table as written, if it is one.
fn written_string(section: &Spanned<DeValue<'_>>, key: &str) -> Option<String> {
    let DeValue::Table(t) = section.get_ref() else {
        return None;
    };
    match t.get(key).map(Spanned::get_ref) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
