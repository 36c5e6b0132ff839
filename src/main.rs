//! The `hrsync` command (SKELETON until the CLI lands).

fn main() {}
