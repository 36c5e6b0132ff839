#!/usr/bin/env bash
# Checks a built hrsync .deb the way an install would see it, without installing it on this
# machine: extracts it into a throwaway root (`dpkg-deb -x`), checks the control fields (a real
# maintainer, no placeholder), that every file an operator relies on is where Debian expects it,
# runs the packaged `hrsync --version`, and verifies the installed unit with
# `systemd-analyze verify --root=ROOT` (failing on ANY output, as verify-unit.sh does) and the
# offline security report.
#
# `systemd-analyze verify` on the unit file alone cannot work here: it checks that ExecStart's
# /usr/bin/hrsync exists on THIS machine. With --root=ROOT it resolves ExecStart (and
# ExecReload's /bin/kill) and the units it depends on (sysinit.target, …) inside ROOT, so ROOT
# gets a copy of this machine's unit directory and its kill next to the extracted package.
#
# Usage: deploy/verify-deb.sh target/debian/hrsync_*.deb
set -euo pipefail

deb=${1:?usage: verify-deb.sh PATH.deb}
fail() {
    echo "verify-deb: $*" >&2
    exit 1
}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

maintainer=$(dpkg-deb -f "$deb" Maintainer)
if [[ -z $maintainer ]] || grep -qiE 'localhost|todo|you@|changeme|example\.com' <<<"$maintainer"; then
    fail "placeholder maintainer: '$maintainer'"
fi
version=$(dpkg-deb -f "$deb" Version)

for f in \
    usr/bin/hrsync \
    usr/lib/systemd/system/hrsync.service \
    etc/hrsync/hrsync.toml \
    usr/share/man/man1/hrsync.1.gz \
    usr/share/man/man1/hrsync-check.1.gz \
    usr/share/bash-completion/completions/hrsync \
    usr/share/zsh/vendor-completions/_hrsync \
    usr/share/fish/vendor_completions.d/hrsync.fish \
    usr/share/doc/hrsync/changelog.Debian.gz \
    usr/share/doc/hrsync/copyright \
    usr/share/hrsync/grafana/hrsync.json \
    usr/share/hrsync/prometheus/hrsync-rules.yml \
    usr/share/hrsync/systemd/notify-reload.conf; do
    [[ -s $root/$f ]] || fail "missing or empty in the package: /$f"
done
if ! dpkg-deb -e "$deb" "$root/DEBIAN" || ! grep -qx /etc/hrsync/hrsync.toml "$root/DEBIAN/conffiles"; then
    fail "/etc/hrsync/hrsync.toml is not a conffile"
fi
zcat "$root/usr/share/man/man1/hrsync.1.gz" | grep -q '^\.TH hrsync 1' || fail "hrsync.1 is not a man page"
zcat "$root/usr/share/doc/hrsync/changelog.Debian.gz" | head -1 | grep -q "^hrsync (${version})" ||
    fail "the changelog's first entry is not version $version"
bash -n "$root/usr/share/bash-completion/completions/hrsync" || fail "the bash completion does not parse"

shown=$("$root/usr/bin/hrsync" --version) || fail "the packaged hrsync --version failed"
[[ $shown == "hrsync ${version%-*}" ]] || fail "the packaged binary says '$shown', the package $version"

if ! command -v systemd-analyze >/dev/null; then
    fail "systemd-analyze is missing (apt-get install systemd)"
fi
cp -an /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
[[ -e $root/bin ]] || ln -s usr/bin "$root/bin"
[[ -e $root/usr/bin/kill ]] || cp /bin/kill "$root/usr/bin/kill"
out=$(systemd-analyze verify --root="$root" hrsync.service 2>&1) || {
    echo "$out"
    fail "systemd-analyze verify failed on the installed unit"
}
if [[ -n $out ]]; then
    echo "$out"
    fail "systemd-analyze verify printed warnings on the installed unit"
fi
report=$(systemd-analyze security --offline=true --threshold=20 --root="$root" hrsync.service 2>&1) || {
    echo "$report"
    fail "the installed unit's exposure is above 2.0"
}
echo "verify-deb: ok: $(basename "$deb") ($version, $maintainer): $shown;" \
    "installed unit verifies ($(grep -m1 -o 'Overall exposure level.*' <<<"$report"))"
