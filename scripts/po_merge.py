"""After a git merge that conflicted in the catalogs: keep our .po files, then bring in every translation the
other branch had, so that scripts/i18n.sh only has to add what is new.

    .venv/bin/python scripts/po_merge.py BRANCH     # then: bash scripts/i18n.sh
"""

import subprocess
import sys

import polib

PATH = "src/kefu/locale/zh_Hans/LC_MESSAGES/django.po"


def entries(text: str) -> dict:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(text) if e.translated() and "fuzzy" not in e.flags}


branch = sys.argv[1]
theirs = entries(subprocess.run(["git", "show", f"{branch}:{PATH}"], capture_output=True, text=True,
                                check=True).stdout)
for path in (PATH, PATH.replace("zh_Hans", "en"), PATH[:-2] + "mo"):
    subprocess.run(["git", "checkout", "--ours", path], check=True)
po = polib.pofile(PATH)
known = {(e.msgctxt, e.msgid) for e in po}
added = 0
for key, entry in theirs.items():
    if key not in known:
        po.append(entry)
        added += 1
po.save(PATH)
print(f"{added} translations brought in from {branch}", file=sys.stderr)
