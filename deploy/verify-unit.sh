#!/usr/bin/env bash
# Checks deploy/hrsync.service with `systemd-analyze verify` (failing on ANY output: verify exits
# 0 on unknown keys and bad values and only prints warnings) and with the offline security
# report (failing above an exposure score of 2.0; --threshold counts tenths).
#
# ExecStart must name an existing file for verify, so a copy is checked with ExecStart pointing
# at `true`. Installs systemd when systemd-analyze is missing and we are root (CI).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
unit="$here/hrsync.service"
max_exposure_tenths=20

if ! command -v systemd-analyze >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null
    else
        echo "verify-unit: systemd-analyze is missing (apt-get install systemd)" >&2
        exit 1
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stand_in=$(command -v true)
sed "s|^ExecStart=/usr/bin/hrsync |ExecStart=$stand_in |" "$unit" >"$tmp/hrsync.service"
if ! grep -q "^ExecStart=$stand_in " "$tmp/hrsync.service"; then
    echo "verify-unit: ExecStart does not start with /usr/bin/hrsync" >&2
    exit 1
fi

out=$(cd "$tmp" && systemd-analyze verify ./hrsync.service 2>&1) || {
    echo "$out"
    echo "verify-unit: systemd-analyze verify failed" >&2
    exit 1
}
if [ -n "$out" ]; then
    echo "$out"
    echo "verify-unit: systemd-analyze verify printed warnings" >&2
    exit 1
fi

if ! report=$(cd "$tmp" && systemd-analyze security --offline=true \
    --threshold="$max_exposure_tenths" ./hrsync.service 2>&1); then
    echo "$report"
    echo "verify-unit: exposure above $((max_exposure_tenths / 10)).$((max_exposure_tenths % 10))" >&2
    exit 1
fi
echo "verify-unit: ok ($(echo "$report" | grep -m1 'Overall exposure level' || echo 'no score'))"
