"""A safe markdown subset for articles, memos and briefings: everything is escaped first, then a few marks
become tags. Nothing a user typed is ever passed through as HTML, so <script> or onerror= cannot run.

Supported: blank-line paragraphs, "# " to "### " headings, "- " / "* " and "1. " lists, **bold**, `code`,
and [text](https://…) links (http, https and mailto only; opened with rel="noopener nofollow").
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
# Runs on escaped text: the URL may not contain quotes (escaped to &quot; / &#x27;) or spaces.
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^\s()\"'<>]+)\)")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\d+[.)]\s+(.*)$")


def _inline(escaped: str) -> str:
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _LINK.sub(r'<a href="\2" rel="noopener nofollow" target="_blank">\1</a>', escaped)


def render_markdown(text: str) -> SafeString:
    """HTML for `text`, safe to show to anyone (escaped, then the supported marks turned into tags)."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
        list_tag = ""

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = _inline(escape(raw.strip()))
        if not line:
            flush_paragraph()
            flush_list()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        number = _NUMBER.match(line)
        if heading:
            flush_paragraph()
            flush_list()
            level = len(heading.group(1)) + 2  # the page title is h1/h2; article headings start at h3
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
        elif bullet or number:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append((bullet or number).group(1))
        else:
            flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return mark_safe("".join(out))  # noqa: S308 — built only from escaped text and our own tags


def plain_excerpt(text: str, length: int = 160) -> str:
    """The text without marks, shortened, for lists and search results (escaped by the template)."""
    flat = re.sub(r"[#*`>\[\]]|\(https?://[^)]*\)", "", text or "")
    flat = " ".join(flat.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"
