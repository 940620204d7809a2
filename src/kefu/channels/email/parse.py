"""Reading a raw email the way Chinese mail really arrives: mislabelled charsets, RFC 2047/2231 headers,
8-bit headers, HTML-only bodies, attachments, auto-replies and bounces."""

import base64
import email
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr

from kefu.channels.email import html as mailhtml
from kefu.channels.email.quotes import strip_quoted

# Mail labelled gb2312 or gbk routinely carries characters only gb18030 has (喆, 镕, 堃 …); big5 mail from
# Hong Kong carries HKSCS characters. Reading with the superset decodes what the sender actually wrote.
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "gb_2312-80": "gb18030", "csgb2312": "gb18030", "x-euc-cn": "gb18030", "chinese": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "cp950": "big5hkscs", "big5-hkscs": "big5hkscs",
    "csbig5": "big5hkscs", "us-ascii": "utf-8", "ascii": "utf-8", "unknown-8bit": "utf-8", "x-unknown": "utf-8",
}
_FALLBACKS = ("utf-8", "gb18030", "big5hkscs")


def charset_for(label: str | None) -> str:
    """The codec to read a part labelled `label` with."""
    name = (label or "").strip().strip('"').lower()
    return CHARSET_ALIASES.get(name, name)


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Text from bytes in the labelled charset; an unknown or wrong label falls back to utf-8, gb18030, big5."""
    tried = []
    name = charset_for(label)
    if name:
        tried.append(name)
    for codec in (*tried, *_FALLBACKS):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def decode_header_value(value) -> str:
    """An RFC 2047 header (any charset, mislabelled ones read by their superset) or raw 8-bit bytes as text."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes kept by the parser as surrogates
        text = decode_bytes(text.encode("utf-8", "surrogateescape"))
    parts = []
    try:
        chunks = decode_header(text)
    except (ValueError, UnicodeError):
        return " ".join(text.split())
    for chunk, label in chunks:
        parts.append(decode_bytes(chunk, label) if isinstance(chunk, bytes) else chunk)
    # decode_header drops the whitespace between an encoded word and plain text; join what it returns.
    joined = "".join(parts) if any(label for _, label in chunks) else text
    return " ".join(joined.split())


@dataclass
class Part:
    """An attachment as it came: its name, declared type and content."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    """Everything kefu needs from one email."""

    message_id: str
    in_reply_to: str
    references: list[str]
    thread_index: str  # the conversation part (first 22 bytes) of Outlook's Thread-Index, base64
    subject: str
    sender: str
    sender_name: str
    recipients: list[str]
    text: str  # the new text, quoted history removed
    html: str  # sanitised HTML of the whole message ("" for text mail)
    attachments: list[Part] = field(default_factory=list)
    auto: str = ""  # why this is automatic mail: "auto_submitted", "precedence", "autoreply", "bounce", ""
    bounce_refs: list[str] = field(default_factory=list)  # Message-IDs a bounce reports on
    size: int = 0


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(value: str) -> list[str]:
    found = _ID.findall(value or "")
    if not found and value and value.strip():
        found = [value.strip().strip("<>")]
    return found


def _thread_index(value: str) -> str:
    try:
        raw = base64.b64decode("".join(value.split()), validate=False)
    except (ValueError, TypeError):
        return ""
    return base64.b64encode(raw[:22]).decode() if len(raw) >= 22 else ""


def _auto_reason(msg: Message, sender: str) -> str:
    auto_submitted = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto_submitted"
    if str(msg.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return "precedence"
    if any(msg.get(name) for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply",
                                       "X-AutoReply-From")):
        return "autoreply"
    if str(msg.get("X-Auto-Response-Suppress", "")).strip().lower() in ("all", "oof"):
        return "autoreply"
    return ""


def _is_bounce(msg: Message, sender: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    local = sender.split("@", 1)[0].lower()
    return local in ("mailer-daemon", "postmaster") or (msg.get("Return-Path", "").strip() == "<>")


def _walk(msg: Message, texts: list[str], htmls: list[str], attachments: list[Part], bounce: list[str]) -> None:
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
        filename = _filename(part)
        if ctype in ("message/delivery-status", "text/rfc822-headers"):
            bounce.append(_payload_text(part))
            continue
        if disposition == "attachment" or (filename and ctype not in ("text/plain", "text/html")):
            data = part.get_payload(decode=True) or b""
            attachments.append(Part(filename or "attachment", ctype, data))
            continue
        if ctype == "text/plain":
            texts.append(_payload_text(part))
        elif ctype == "text/html":
            htmls.append(_payload_text(part))


def _payload_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    return decode_bytes(payload, part.get_content_charset())


def _filename(part: Message) -> str:
    raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
    if raw is None:
        return ""
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, percent-decoded bytes as latin-1 text)
        charset, _lang, value = raw
        return decode_bytes(value.encode("latin-1", "surrogateescape"), charset).strip()
    return decode_header_value(raw).strip()


_FORWARD = re.compile(r"^\s*(fwd?|转发|轉寄|转寄)\s*[:：]", re.I)


def _new_text(text: str, subject: str) -> str:
    """A reply loses its quoted history; a forward keeps it, because the forwarded mail is the matter."""
    return (text if _FORWARD.match(subject) else strip_quoted(text)).strip()


def parse(raw: bytes) -> ParsedMail:
    """Parse one message. Never raises on malformed mail: what cannot be read is left empty."""
    msg = email.message_from_bytes(raw)
    sender_name, sender = parseaddr(decode_header_value(msg.get("From", "")))
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[Part] = []
    bounce: list[str] = []
    _walk(msg, texts, htmls, attachments, bounce)
    html_clean = mailhtml.sanitise("\n".join(htmls)) if htmls else ""
    text = "\n".join(t for t in texts if t.strip()) or (mailhtml.to_text("\n".join(htmls)) if htmls else "")
    is_bounce = _is_bounce(msg, sender)
    subject = decode_header_value(msg.get("Subject", ""))[:300]
    bounce_refs = _ids(" ".join(bounce)) if is_bounce else []
    if is_bounce:
        bounce_refs += [i for i in _ID.findall(text) if i not in bounce_refs]
    return ParsedMail(
        message_id=(_ids(msg.get("Message-ID", "")) or [""])[0][:290],
        in_reply_to=(_ids(msg.get("In-Reply-To", "")) or [""])[0][:290],
        references=[i[:290] for i in _ids(msg.get("References", ""))][-30:],
        thread_index=_thread_index(str(msg.get("Thread-Index", ""))),
        subject=subject,
        sender=sender.strip().lower()[:300],
        sender_name=sender_name.strip()[:200],
        recipients=[a.lower() for _n, a in getaddresses([decode_header_value(msg.get(h, "")) for h in ("To", "Cc")])
                    if a],
        text=_new_text(text.replace("\r\n", "\n"), subject),
        html=html_clean,
        attachments=attachments,
        auto="bounce" if is_bounce else _auto_reason(msg, sender),
        bounce_refs=bounce_refs,
        size=len(raw),
    )
