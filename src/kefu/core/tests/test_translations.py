"""The translation catalogs: zh-hans complete and compiled, placeholders intact, in step with the code."""

import ast
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

import kefu
from kefu.tickets.lifecycle import Status

KEFU = Path(kefu.__file__).resolve().parent
LOCALE = KEFU / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
FIX = "run `bash scripts/i18n.sh` and translate what it lists"

# %(name)s, %(count)d, %s, %d … and {name} / {0}; a literal "%%" is not a placeholder.
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
                          r"|\{\w*(?:[.\[][^{}]*)?(?:![rsa])?(?::[^{}]*)?\}")

# gettext family → position of (context, message) among the call's arguments.
_PY_FUNCS = {
    "_": (None, 0), "gettext": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
    "ngettext": (None, 0), "ngettext_lazy": (None, 0),
    "pgettext": (0, 1), "pgettext_lazy": (0, 1), "npgettext": (0, 1), "npgettext_lazy": (0, 1),
}
_TEMPLATE_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?""")


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(text.replace("%%", "")))


def _catalog(entries) -> dict:
    """What msgfmt puts into a .mo: translated, non-fuzzy entries, keyed by (context, msgid)."""
    out = {}
    for e in entries:
        if not e.msgid:
            continue  # the header
        if "fuzzy" in e.flags or not _is_translated(e):
            continue
        if e.msgid_plural:
            out[(e.msgctxt, e.msgid)] = tuple(v for _k, v in sorted(e.msgstr_plural.items()))
        else:
            out[(e.msgctxt, e.msgid)] = e.msgstr
    return out


def _source_strings() -> dict[tuple[str | None, str], str]:
    """Every literal string marked for translation in kefu's code and templates, with where it is."""
    found: dict[tuple[str | None, str], str] = {}
    for path in sorted(KEFU.rglob("*.py")):
        rel = path.relative_to(KEFU)
        if {"tests", "migrations"} & set(rel.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in _PY_FUNCS:
                continue
            ctx_at, msg_at = _PY_FUNCS[name]
            args = node.args
            if len(args) <= msg_at or not isinstance(args[msg_at], ast.Constant):
                continue
            msg = args[msg_at].value
            ctx = args[ctx_at].value if ctx_at is not None and isinstance(args[ctx_at], ast.Constant) else None
            if isinstance(msg, str) and msg:
                found.setdefault((ctx, msg), f"{rel}:{node.lineno}")
    for path in sorted(KEFU.rglob("templates/**/*.html")):
        for match in _TEMPLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            found.setdefault((match.group(4), match.group(2)), str(path.relative_to(KEFU)))
    return found


def test_zh_hans_catalog_exists_and_is_not_empty():
    assert len(_entries(ZH_PO)) > 100, FIX


def test_every_zh_hans_entry_is_translated_and_not_fuzzy():
    todo = [e.msgid for e in _entries(ZH_PO) if "fuzzy" in e.flags or not _is_translated(e)]
    assert todo == [], f"untranslated or fuzzy in {ZH_PO.relative_to(KEFU)}: {todo} — {FIX}"


def test_zh_hans_translations_keep_the_placeholders():
    wrong = []
    for e in _entries(ZH_PO):
        pairs = ([(e.msgid, e.msgstr)] if not e.msgid_plural
                 else [(e.msgid_plural, s) for s in e.msgstr_plural.values()])
        for source, target in pairs:
            if _placeholders(source) != _placeholders(target):
                wrong.append((source, target))
    assert wrong == []


def test_zh_hans_translations_are_chinese():
    # A msgstr copied from the msgid passes the checks above but leaves the UI in English.
    copied = [e.msgid for e in _entries(ZH_PO)
              if e.msgstr and not re.search(r"[\u4e00-\u9fff]", e.msgstr) and re.search(r"[a-z]{3}", e.msgid)
              and e.msgstr not in ALLOWED_AS_IS]
    assert copied == []


ALLOWED_AS_IS = {"VIP", "QQ"}  # names that Chinese UIs write in Latin letters too


@pytest.mark.parametrize("po_path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_compiled_catalog_matches_the_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(KEFU)} is missing — {FIX}"
    compiled = _catalog(polib.mofile(str(mo_path)))
    assert compiled == _catalog(_entries(po_path)), f"{mo_path.relative_to(KEFU)} is stale — {FIX}"


def test_en_and_zh_hans_catalogs_list_the_same_strings():
    zh = {(e.msgctxt, e.msgid) for e in _entries(ZH_PO)}
    en = {(e.msgctxt, e.msgid) for e in _entries(EN_PO)}
    assert sorted(zh ^ en, key=str) == [], FIX


def test_every_string_marked_in_the_code_is_in_the_catalog():
    catalog = {(e.msgctxt, e.msgid) for e in _entries(ZH_PO)}
    missing = {key: where for key, where in _source_strings().items() if key not in catalog}
    assert missing == {}, f"marked for translation but not in the catalog: {missing} — {FIX}"


def test_status_label_follows_the_active_language():
    with translation.override("zh-hans"):
        assert str(Status.RESOLVED.label) == "已解决"
        assert str(Status.WAITING_OTHER.label) == "等待其他部门"
    with translation.override("en"):
        assert str(Status.RESOLVED.label) == "Resolved"
        assert str(Status.WAITING_OTHER.label) == "Waiting on other department"


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("No such ticket.") == "没有这个工单。"


def test_translated_message_formats_with_its_placeholders():
    message = "A %(type)s ticket cannot go from %(from)s to %(to)s."
    params = {"type": "投诉", "from": "已解决", "to": "已关闭"}
    with translation.override("zh-hans"):
        text = translation.gettext(message) % params
    assert text != message % params
    assert all(value in text for value in params.values())
