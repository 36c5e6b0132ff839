//! A secret value (API token, private key, webhook secret) whose `Debug` and `Display`
//! print `[redacted]`, and [`SecretRef`]: where a secret is read from (`{ env = "X" }`,
//! `{ file = "path" }`, `{ credential = "name" }` under `$CREDENTIALS_DIRECTORY`).
//!
//! Resolution reads the environment and files only; it never logs and never puts a secret's
//! value into an error message.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::path::{Path, PathBuf};

/// A secret string. Read it only with [`Secret::expose`], at the point of use.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret text. Never log or format the result.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where a secret comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// An environment variable.
    Env(String),
    /// A file (absolute, already resolved against the config file's folder).
    File(PathBuf),
    /// A systemd credential name, read from `$CREDENTIALS_DIRECTORY/<name>`.
    Credential(String),
}

/// Why a secret could not be read. Messages name the variable, file or credential, never the
/// value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The environment variable is not set or not Unicode.
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
    /// `env` does not hold a variable name (a pasted secret, most likely): not shown.
    #[error(
        "{{ env = ... }} must name an environment variable (letters, digits and _, not starting with a digit); what was given is not a name and is not shown here. Did you paste the secret itself? Put it in the environment, a file ({{ file = \"...\" }}) or a systemd credential"
    )]
    NotAVariableName,
    /// The file could not be read.
    #[error("cannot read secret file {path}: {message}")]
    Unreadable {
        /// The file.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// A credential was named but systemd passed none.
    #[error(
        "credential {0:?} needs $CREDENTIALS_DIRECTORY (set by systemd's LoadCredential=); it is not set"
    )]
    NoCredentialsDirectory(String),
    /// The credential name is not a plain file name.
    #[error("credential name {0:?} must be a plain name without '/'")]
    BadCredentialName(String),
    /// The secret is empty.
    #[error("{0} is empty")]
    Empty(String),
}

impl SecretRef {
    /// Reads the secret. `env` looks up environment variables (the process environment in
    /// production, a map in tests). A single trailing newline (`\n` or `\r\n`) of a file or
    /// credential is dropped.
    pub fn resolve(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<Secret, SecretError> {
        let (value, what) = match self {
            Self::Env(name) => {
                if !is_variable_name(name) {
                    return Err(SecretError::NotAVariableName);
                }
                let value = env(name).ok_or_else(|| SecretError::MissingEnv(name.clone()))?;
                (value, format!("environment variable {name}"))
            }
            Self::File(path) => (read_file(path)?, format!("secret file {}", path.display())),
            Self::Credential(name) => {
                if name.is_empty() || name.contains('/') || name == "." || name == ".." {
                    return Err(SecretError::BadCredentialName(name.clone()));
                }
                let dir = env("CREDENTIALS_DIRECTORY")
                    .filter(|d| !d.is_empty())
                    .ok_or_else(|| SecretError::NoCredentialsDirectory(name.clone()))?;
                let path = Path::new(&dir).join(name);
                (read_file(&path)?, format!("credential {name}"))
            }
        };
        if value.is_empty() {
            return Err(SecretError::Empty(what));
        }
        Ok(Secret::new(value))
    }
}

/// `OKTA_API_TOKEN`, `bob_token`: a POSIX-style variable name, at most 128 characters.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 128
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a secret file: a UTF-8 byte-order mark (an editor on Windows adds one) and one
/// trailing newline are dropped.
fn read_file(path: &Path) -> Result<String, SecretError> {
    let mut text = std::fs::read_to_string(path).map_err(|e| SecretError::Unreadable {
        path: path.display().to_string(),
        message: e.kind().to_string(),
    })?;
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        text = rest.to_owned();
    }
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
