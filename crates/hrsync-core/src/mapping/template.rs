//! Templates such as `"{first_name|lower}.{last_name|ascii|lower}@example.com"`.
//!
//! A template is literal text with placeholders `{field|filter|filter:arg}`. Field names may be
//! dotted or SCIM-style (`name.givenName`,
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`): the filter
//! separator is `|`, so colons inside a field name are fine. `{manager.<field>}` reads the
//! manager's own HR record; `{manager.okta_login}` and `{manager.okta_id}` name the manager's
//! Okta identity. `{{` and `}}` are literal braces.
//!
//! Filters: `lower`, `upper`, `trim`, `ascii` (transliterate to ASCII: "Zoë Ångström" →
//! "Zoe Angstrom"), `date:<strftime>` (input `YYYY-MM-DD` or an RFC 3339 / ISO date-time),
//! `default:<text>` (used when the value is missing or empty at that point of the chain).
//!
//! Rendering: a placeholder whose value is missing (and has no `default`) makes the whole
//! template render [`Rendered::Empty`], so a half-filled value such as `"@example.com"` is never
//! produced. Templates are parsed once at config load; rendering does no I/O and never panics.

use chrono::format::{Item, StrftimeItems};
use std::borrow::Cow;
use std::fmt;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// Why a template does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct TemplateError {
    /// 1-based character position in the template.
    pub position: usize,
    /// What is wrong and what is accepted.
    pub message: String,
}

/// A field a placeholder reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// A field of the employee's own HR record (`first_name`, `work.department`).
    Own(String),
    /// A field of the manager's HR record (`{manager.email}` → `email`).
    Manager(String),
    /// The manager's Okta login (`{manager.okta_login}`).
    ManagerOktaLogin,
    /// The manager's Okta user id (`{manager.okta_id}`).
    ManagerOktaId,
}

/// What a [`FieldLookup`] knows about one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// The value.
    Value(Cow<'a, str>),
    /// No value (absent or empty in HR, no manager, …).
    Missing,
    /// Not known yet (the manager is not in Okta yet): leave the attribute for the next run.
    Pending,
}

/// Where a template gets its field values from.
pub trait FieldLookup {
    /// The value of one field.
    fn lookup(&self, field: &FieldRef) -> Resolved<'_>;
}

/// The result of rendering a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// The rendered text (never empty).
    Value(String),
    /// Some field had no value, or the result is empty.
    Empty,
    /// Some field is not known yet (see [`Resolved::Pending`]).
    Pending,
}

/// What [`Template::render_into`] left in the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filled {
    /// The buffer holds the rendered text (never empty).
    Value,
    /// Some field had no value, or the result is empty.
    Empty,
    /// Some field is not known yet (see [`Resolved::Pending`]).
    Pending,
}

/// Why rendering failed for a given record (e.g. `date` on a value that is not a date).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// What is wrong, naming the field and value.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Placeholder {
        field: FieldRef,
        filters: Vec<Filter>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Lower,
    Upper,
    Trim,
    Ascii,
    Date(String),
    Default(String),
}

/// The filter names accepted, for error messages.
pub const FILTERS: &str = "lower, upper, trim, ascii, date:<format>, default:<text>";

impl Template {
    /// Parses a template; errors give the 1-based character position.
    pub fn parse(source: &str) -> Result<Self, TemplateError> {
        let chars: Vec<char> = source.chars().collect();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '{' if chars.get(i + 1) == Some(&'{') => {
                    literal.push('{');
                    i += 2;
                }
                '}' if chars.get(i + 1) == Some(&'}') => {
                    literal.push('}');
                    i += 2;
                }
                '}' => return Err(err(i, "unmatched '}' (write '}}' for a literal brace)")),
                '{' => {
                    let close = (i + 1..chars.len())
                        .find(|&j| chars[j] == '}' || chars[j] == '{')
                        .filter(|&j| chars[j] == '}')
                        .ok_or_else(|| err(i, "placeholder '{' is not closed by '}'"))?;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(parse_placeholder(&chars[i + 1..close], i + 1)?);
                    i = close + 1;
                }
                c => {
                    literal.push(c);
                    i += 1;
                }
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self {
            source: source.to_owned(),
            parts,
        })
    }

    /// The template as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every field the template reads, in order of appearance.
    pub fn fields(&self) -> impl Iterator<Item = &FieldRef> {
        self.parts.iter().filter_map(|p| match p {
            Part::Placeholder { field, .. } => Some(field),
            Part::Literal(_) => None,
        })
    }

    /// Whether rendering can fail for some record (the template uses a `date` filter).
    pub fn can_fail(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(p, Part::Placeholder { filters, .. }
                if filters.iter().any(|f| matches!(f, Filter::Date(_))))
        })
    }

    /// Renders the template against a record.
    pub fn render(&self, lookup: &dyn FieldLookup) -> Result<Rendered, RenderError> {
        let mut out = String::new();
        Ok(match self.render_into(lookup, &mut out)? {
            Filled::Value => Rendered::Value(out),
            Filled::Empty => Rendered::Empty,
            Filled::Pending => Rendered::Pending,
        })
    }

    /// [`Template::render`] into a caller's buffer (cleared first), so that a caller comparing
    /// many rendered values with existing ones allocates only for those that differ. The text
    /// is meaningful only when the result is [`Filled::Value`].
    pub fn render_into(
        &self,
        lookup: &dyn FieldLookup,
        out: &mut String,
    ) -> Result<Filled, RenderError> {
        out.clear();
        let mut empty = false;
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Placeholder { field, filters } => {
                    match apply_filters(field, lookup.lookup(field), filters)? {
                        Resolved::Value(v) => out.push_str(&v),
                        Resolved::Missing => empty = true,
                        Resolved::Pending => return Ok(Filled::Pending),
                    }
                }
            }
        }
        Ok(if empty || out.is_empty() {
            Filled::Empty
        } else {
            Filled::Value
        })
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn err(index: usize, message: impl Into<String>) -> TemplateError {
    TemplateError {
        position: index + 1,
        message: message.into(),
    }
}

/// Parses `field|filter|filter:arg`; `offset` is the index of the first char in the template.
fn parse_placeholder(body: &[char], offset: usize) -> Result<Part, TemplateError> {
    let mut segments = Vec::new();
    let mut start = 0;
    for (j, c) in body.iter().enumerate() {
        if *c == '|' {
            segments.push((start, &body[start..j]));
            start = j + 1;
        }
    }
    segments.push((start, &body[start..]));
    let (field_at, field_chars) = segments[0];
    let field_name: String = field_chars.iter().collect::<String>().trim().to_owned();
    if field_name.is_empty() {
        return Err(err(offset + field_at, "empty field name in placeholder"));
    }
    if let Some(k) = field_name.chars().position(char::is_whitespace) {
        return Err(err(
            offset + field_at + k,
            format!("field name {field_name:?} contains whitespace"),
        ));
    }
    let field = match field_name.strip_prefix("manager.") {
        Some("okta_login") => FieldRef::ManagerOktaLogin,
        Some("okta_id") => FieldRef::ManagerOktaId,
        Some("") => {
            return Err(err(
                offset + field_at,
                "empty manager field after 'manager.'",
            ));
        }
        Some(rest) => FieldRef::Manager(rest.to_owned()),
        None => FieldRef::Own(field_name),
    };
    let mut filters = Vec::new();
    for (at, seg) in &segments[1..] {
        let text: String = seg.iter().collect();
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a)),
            None => (text.trim(), None),
        };
        let pos = offset + at;
        let no_arg = |f: Filter| match arg {
            None => Ok(f),
            Some(_) => Err(err(pos, format!("filter '{name}' takes no argument"))),
        };
        filters.push(match name {
            "lower" => no_arg(Filter::Lower)?,
            "upper" => no_arg(Filter::Upper)?,
            "trim" => no_arg(Filter::Trim)?,
            "ascii" => no_arg(Filter::Ascii)?,
            "default" => Filter::Default(arg.unwrap_or("").to_owned()),
            "date" => {
                let format = arg.unwrap_or("").to_owned();
                if format.trim().is_empty() {
                    return Err(err(pos, "filter 'date' needs a format, e.g. date:%Y-%m-%d"));
                }
                if StrftimeItems::new(&format).any(|item| matches!(item, Item::Error)) {
                    return Err(err(pos, format!("invalid date format {format:?}")));
                }
                Filter::Date(format)
            }
            "" => return Err(err(pos, format!("empty filter name; accepted: {FILTERS}"))),
            other => {
                return Err(err(
                    pos,
                    format!("unknown filter '{other}'; accepted: {FILTERS}"),
                ));
            }
        });
    }
    Ok(Part::Placeholder { field, filters })
}

mod filters;
use filters::apply_filters;

/// The field as written in a template, for messages.
pub fn field_name(field: &FieldRef) -> String {
    match field {
        FieldRef::Own(name) => name.clone(),
        FieldRef::Manager(name) => format!("manager.{name}"),
        FieldRef::ManagerOktaLogin => "manager.okta_login".to_owned(),
        FieldRef::ManagerOktaId => "manager.okta_id".to_owned(),
    }
}

#[cfg(test)]
mod tests;
