#!/usr/bin/env bash
# Make sure Debian's Chromium and a CJK font are installed for the browser tests (Playwright drives
# /usr/bin/chromium; the font makes Chinese text render in screenshots). Installs with apt-get when missing;
# needs root for that. Prints nothing but apt's own errors when everything is already there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Not `fc-list | grep -q`: with pipefail, grep quitting early makes fc-list die of SIGPIPE and the test fail.
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "scripts/chromium.sh: missing ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "==> installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
