#!/usr/bin/env bash
# Refresh the translation catalogs after changing UI text, then compile them.
#
#   bash scripts/i18n.sh
#
# 1. makemessages for zh_Hans (the default language) and en (the source language: msgstr stays empty)
# 2. compilemessages: the .mo files are committed next to the .po files
# 3. lists every zh_Hans entry that is untranslated or fuzzy, and fails if there is one — translate it in
#    src/kefu/locale/zh_Hans/LC_MESSAGES/django.po and run this again. The test suite checks the same.
#
# Needs GNU gettext (Debian: apt-get install gettext) and the .venv made by scripts/test.sh.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ ! -x .venv/bin/django-admin ]; then
    echo "scripts/i18n.sh: no .venv yet; run bash scripts/test.sh once first" >&2
    exit 1
fi
for tool in xgettext msgmerge msguniq msgfmt; do
    command -v "$tool" >/dev/null 2>&1 || { echo "scripts/i18n.sh: $tool not found; install GNU gettext" >&2; exit 1; }
done

export PYTHONPATH="$root/src${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=kefu.settings
# Settings read KEFU_DATA_DIR; keep this run away from the developer's database.
KEFU_DATA_DIR="$(mktemp -d)"
export KEFU_DATA_DIR
trap 'rm -rf "$KEFU_DATA_DIR"' EXIT

# From src/kefu so that the catalogs land in src/kefu/locale (LOCALE_PATHS) and only kefu's code is read.
cd src/kefu
# --add-location=file: references without line numbers, so that moving code does not touch the catalogs
# (and two branches do not conflict over line numbers). --no-obsolete: removed strings are dropped.
"$root/.venv/bin/django-admin" makemessages -l zh_Hans -l en --add-location=file --no-obsolete \
    --ignore 'tests/*' --ignore 'migrations/*'
"$root/.venv/bin/django-admin" compilemessages --ignore 'tests/*'
cd "$root"

.venv/bin/python - <<'EOF'
import sys

import polib

path = "src/kefu/locale/zh_Hans/LC_MESSAGES/django.po"
todo = [e for e in polib.pofile(path) if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
for entry in todo:
    where = ", ".join(f for f, _line in entry.occurrences)
    state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
    print(f"{state}: {entry.msgid!r}  ({where})", file=sys.stderr)
if todo:
    print(f"scripts/i18n.sh: {len(todo)} zh_Hans entries need a translation in {path}", file=sys.stderr)
    sys.exit(1)
print("scripts/i18n.sh: zh_Hans complete", file=sys.stderr)
EOF
