"""Fill zh_Hans translations from a Python file that defines T = {msgid: msgstr} (and PLURAL = {msgid: [forms]}).

    .venv/bin/python scripts/translate.py path/to/table.py

Used after scripts/i18n.sh lists what is missing; clears the fuzzy flag of every entry it fills.
"""

import runpy
import sys

import polib

PATH = "src/kefu/locale/zh_Hans/LC_MESSAGES/django.po"

table = runpy.run_path(sys.argv[1])
singular, plural = table.get("T", {}), table.get("PLURAL", {})
po = polib.pofile(PATH)
filled = 0
for entry in po:
    if entry.msgid_plural and entry.msgid in plural:
        entry.msgstr_plural = dict(enumerate(plural[entry.msgid]))
    elif entry.msgid in singular and not entry.msgid_plural:
        entry.msgstr = singular[entry.msgid]
    else:
        continue
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    filled += 1
po.save(PATH)
print(f"filled {filled} entries", file=sys.stderr)
