//! Configuration: the TOML file as written ([`raw`]) and the typed, validated [`Config`]
//! the rest of hrsync uses ([`types`]), plus secrets resolved from env, files or systemd
//! credentials ([`secret`]).
//!
//! Loading never logs secret values and reports every error with file, line, column and key
//! path. This module does no network I/O.

pub mod secret;
pub mod types;

pub use secret::Secret;
pub use types::*;
