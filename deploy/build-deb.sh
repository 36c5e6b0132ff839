#!/usr/bin/env bash
# Builds the hrsync .deb: the release binary, the man pages and shell completions generated from
# its command-line definition (`hrsync generate man|completions DIR`, into target/generated),
# then `cargo deb --no-build`, which packs them with the unit, the config and the dashboards per
# [package.metadata.deb] in Cargo.toml. Prints the .deb's path on the last line.
#
# Usage: deploy/build-deb.sh [PROFILE]   (default release, the package to ship)
#
# CI passes `dev`: it packages target/debug/hrsync exactly as `cargo test` built it (rebuilt
# with `cargo test --no-run`, a no-op right after the tests; `cargo build` would not be, as the
# tests' dev-dependency features differ), sparing a second full optimised build of every
# dependency (16 min on the 2-core CI machine). Contents and layout are the same; only the
# binary is unoptimised. cargo-deb warns that it is meant for release profiles.
#
# Needs cargo-deb (`cargo install cargo-deb --locked`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=${1:-release}
case $profile in
    dev) out_dir=target/debug ;;
    *) out_dir=target/$profile ;;
esac

if ! command -v cargo-deb >/dev/null 2>&1; then
    echo "build-deb: cargo-deb is missing (cargo install cargo-deb --locked)" >&2
    exit 1
fi
if [[ $profile == dev ]]; then
    cargo test --locked --no-run >/dev/null 2>&1 || cargo test --locked --no-run
else
    cargo build --profile "$profile" --locked --bin hrsync
fi
rm -rf target/generated
"$out_dir/hrsync" generate man target/generated/man >/dev/null
"$out_dir/hrsync" generate completions target/generated/completions >/dev/null
cargo deb --no-build --locked --profile "$profile" --output target/debian/
