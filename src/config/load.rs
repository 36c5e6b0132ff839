//! Loading: read the TOML file, deserialize each section into [`RawConfig`] (a mistake in one
//! section does not hide mistakes in another), then [`Config::from_raw`] validates every value
//! and resolves secrets, collecting every error with file:line:col and key path.
//!
//! Reads the config file, secret files and environment variables; nothing else. Never logs or
//! reports a secret's value.

use super::error::{ConfigError, ConfigErrors, SourceText, humanize_serde_message};
use super::raw::RawConfig;
use super::sections::Checker;
use super::source;
use super::types::{ActivationMode, Config, EmployeeConfig, JournalConfig};
use super::value::{EnvLookup, Scope, with_scope};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

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

/// Keys whose values are secrets: a wrong-typed value there (a token written inline) is never
/// echoed in an error message.
const SECRET_KEYS: [&str; 5] = [
    "okta.token",
    "okta.oauth.private_key",
    "source.token",
    "source.service_user_id",
    "source.webhook_secret",
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
    let okta = c.okta(raw.okta.as_ref());
    let source = match &raw.source {
        Some(source) => Some(source.clone()),
        None if failed.contains(&"source") => None,
        None => {
            let msg = "missing section [source]; e.g. type = \"file\", path = \"employees.csv\"";
            c.err(None, "source", msg.into());
            None
        }
    };
    let employee = c.employee(raw.employee.as_ref());
    // The anchor as written, so that mapping it is reported even if [okta] has mistakes.
    let anchor = raw
        .okta
        .as_ref()
        .and_then(|o| o.anchor_attribute.as_ref())
        .map_or("employeeNumber", |a| a.get_ref().as_str());
    let mapping = c.mapping(raw.mapping.as_ref(), Some(anchor));
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
            "okta" => raw.okta = section(src, name, value, r),
            "source" => raw.source = source::parse(src, value, r),
            "employee" => raw.employee = section(src, name, value, r),
            "mapping" => raw.mapping = section(src, name, value, r),
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

/// Deserializes one section; on error records it (with the key path found from its span).
fn section<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    section_with(src, name, None, value, errors)
}

/// Deserializes a section whose keys depend on its `type` (`kind`): a key of another type is
/// reported as not a key of this one.
pub(super) fn section_of_kind<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    kind: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    section_with(src, name, Some(kind), value, errors)
}

fn section_with<T: DeserializeOwned>(
    src: SourceText<'_>,
    name: &str,
    kind: Option<&str>,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    // Retry without each offending key so that several mistakes in one section are reported
    // together; stop at an error that no key removal can get past (e.g. a missing key).
    let mut value = value.clone();
    let mut removed: Vec<String> = Vec::new();
    for attempt in 0..MAX_ERRORS_PER_SECTION {
        let e = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => return (attempt == 0).then_some(v),
            Err(e) => e,
        };
        let span = e.span().unwrap_or_else(|| value.span());
        let key = key_path_at(name, &value, span.start);
        // A typed section names the key it misses (unless a retry removed it).
        if let (Some(kind), Some(missing)) =
            (kind, e.message().trim_end().strip_prefix("missing field "))
        {
            let key = format!("{key}.{}", missing.trim_matches('`'));
            if !removed.contains(&key) {
                let msg = format!("missing; required for type = \"{kind}\"");
                errors.push(src.error_at(Some(span), key, msg));
            }
            break;
        }
        if attempt > 0 && key == name {
            break;
        }
        let raw_message = e.message();
        let message =
            if SECRET_KEYS.contains(&key.as_str()) && raw_message.starts_with("invalid type") {
                "must be a secret reference: { env = \"VAR\" }, { file = \"path\" } or \
             { credential = \"name\" }; never write the secret itself here (its value is not shown)"
                    .to_owned()
            } else {
                let message = humanize_serde_message(raw_message);
                match (kind, message.strip_prefix("unknown key ")) {
                    (Some(kind), Some(rest)) if key.matches('.').count() == 1 => {
                        let expected = rest.split_once("; ").map_or("", |(_, e)| e);
                        format!("is not a key of type = \"{kind}\"; {expected}")
                    }
                    _ => message,
                }
            };
        errors.push(src.error_at(Some(span.clone()), key.clone(), message));
        removed.push(key);
        if !remove_entry_at(value.get_mut(), span.start) {
            break;
        }
    }
    None
}

/// Most errors reported for one section.
const MAX_ERRORS_PER_SECTION: usize = 20;

/// Removes the innermost table entry whose key or value contains `offset`; false if none.
fn remove_entry_at(value: &mut DeValue<'_>, offset: usize) -> bool {
    match value {
        DeValue::Table(t) => {
            let Some((key, on_key)) = t
                .iter()
                .find(|(k, v)| k.span().contains(&offset) || v.span().contains(&offset))
                .map(|(k, _)| (k.clone(), k.span().contains(&offset)))
            else {
                return false;
            };
            let name: &str = key.get_ref();
            let removed_deeper = !on_key
                && t.get_mut(name)
                    .is_some_and(|child| remove_entry_at(child.get_mut(), offset));
            if !removed_deeper {
                t.remove(name);
            }
            true
        }
        DeValue::Array(a) => a
            .iter_mut()
            .find(|v| v.span().contains(&offset))
            .is_some_and(|v| remove_entry_at(v.get_mut(), offset)),
        _ => false,
    }
}

/// The dotted key path of the innermost key or value containing `offset`.
fn key_path_at(prefix: &str, value: &Spanned<DeValue<'_>>, offset: usize) -> String {
    let mut path = prefix.to_owned();
    let mut current = value;
    loop {
        match current.get_ref() {
            DeValue::Table(t) => {
                let hit = t
                    .iter()
                    .find(|(k, v)| k.span().contains(&offset) || v.span().contains(&offset));
                let Some((k, v)) = hit else { return path };
                path.push('.');
                path.push_str(k.get_ref());
                if k.span().contains(&offset) {
                    return path;
                }
                current = v;
            }
            DeValue::Array(a) => {
                let Some((i, v)) = a
                    .iter()
                    .enumerate()
                    .find(|(_, v)| v.span().contains(&offset))
                else {
                    return path;
                };
                path.push_str(&format!("[{i}]"));
                current = v;
            }
            _ => return path,
        }
    }
}

#[cfg(test)]
mod tests;
