"""Cutting the quoted history off a reply, for the Chinese and English mail clients customers use."""

import re

# A line that starts the quoted history. Each pattern names the client it comes from.
_HEADERS = [
    re.compile(r"^-{2,}\s*(原始邮件|Original Message|原始郵件)\s*-{2,}\s*$", re.I),  # QQ/Foxmail, Outlook
    re.compile(r"^-{5,}\s*&nbsp;\s*原始邮件\s*&nbsp;\s*-{5,}$"),  # QQ mail's HTML turned into text
    re.compile(r"^_{20,}\s*$"),  # Outlook's separator line above the From/Sent block
    re.compile(r"^在\s*.{2,120}写道\s*[:：]\s*$"),  # Apple Mail 中文, 163/126: 在 2026-12-05 15:00，"王喆" 写道：
    re.compile(r"^.{2,160}于\s*.{2,80}写道\s*[:：]\s*$"),  # Gmail 中文: 王喆 <a@b> 于2026年12月5日周六 15:00写道：
    re.compile(r"^On .{4,200} wrote:\s*$"),  # Gmail, Apple Mail, Thunderbird (English)
    re.compile(r"^Le .{4,200} a écrit\s*:\s*$"),
    re.compile(r"^Am .{4,200} schrieb .{1,120}:\s*$"),
]
# Outlook (中文 and English) quotes with a header block: From / Sent (or Date) on consecutive lines.
_FROM = re.compile(r"^\*?(发件人|寄件者|From)\s*\*?\s*[:：]", re.I)
_SENT = re.compile(r"^\*?(发送时间|发送日期|日期|時間|寄件日期|Sent|Date)\s*\*?\s*[:：]", re.I)
# Gmail wraps a long "On … wrote:" over two lines.
_ON = re.compile(r"^On .{4,200}$")
_WROTE = re.compile(r"^.{0,120}wrote:\s*$")


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if any(p.match(line) for p in _HEADERS):
        return True
    if _FROM.match(line):
        following = [x.strip() for x in lines[i + 1:i + 4]]
        return any(_SENT.match(x) for x in following)
    return bool(_ON.match(line) and i + 1 < len(lines) and _WROTE.match(lines[i + 1].strip()))


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything above the first quote header, and no trailing '>' lines.

    A message that is only a quote (a bare forward) is kept whole: the agent must see something."""
    lines = text.split("\n")
    for i in range(len(lines)):
        if _starts_quote(lines, i):
            head = "\n".join(lines[:i]).rstrip()
            return head if head.strip() else text
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    kept = "\n".join(lines)
    return kept if kept.strip() else text
