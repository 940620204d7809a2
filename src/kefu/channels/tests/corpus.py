"""A replay corpus of real-world mail shapes, written the way each client writes them (bytes, not Python's
email library, so the odd encodings are really odd)."""

import base64
from datetime import UTC, datetime
from email.utils import format_datetime

DATE = format_datetime(datetime(2026, 12, 5, 9, 30, tzinfo=UTC))


def b64(text: str, charset: str) -> str:
    codec = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(charset, charset)
    return base64.b64encode(text.encode(codec)).decode()


def word(text: str, charset: str) -> str:
    """An RFC 2047 encoded word in `charset` (gb2312/gbk labels carry gb18030 bytes, as real mail does)."""
    return f"=?{charset}?B?{b64(text, charset)}?="


def mail(*, message_id: str, sender: str = "wz@qq.com", name: str = "", subject: str = "燃气费怎么交",
         body: str = "请问燃气费怎么交？", charset: str = "utf-8", in_reply_to: str = "", references: str = "",
         extra: str = "", ctype: str = "text/plain") -> bytes:
    """A simple one-part mail; headers RFC 2047 in `charset`, the body 8-bit in it."""
    codec = "gb18030" if charset in ("gb2312", "gbk") else ("big5hkscs" if charset == "big5" else charset)
    frm = f"{word(name, charset)} <{sender}>" if name else sender
    head = [f"From: {frm}", "To: kefu@gas.example.com", f"Subject: {word(subject, charset)}", f"Date: {DATE}",
            "MIME-Version: 1.0", f"Content-Type: {ctype}; charset={charset}", "Content-Transfer-Encoding: 8bit"]
    if message_id:
        head.append(f"Message-ID: <{message_id}>")
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        head.append(f"References: {references}")
    if extra:
        head.extend(extra.strip().split("\n"))
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body.replace("\n", "\r\n").encode(codec)


def with_attachment(*, message_id: str, filename: str, data: bytes, ctype: str = "application/pdf",
                    body: str = "附件是账单", sender: str = "wz@qq.com", filename_charset: str = "gb2312") -> bytes:
    """multipart/mixed with one base64 attachment named in RFC 2231 form (as Outlook and Foxmail do)."""
    name = "".join(f"%{b:02X}" for b in filename.encode("gb18030" if filename_charset == "gb2312" else "utf-8"))
    boundary = "----=_Part_1_kefu"
    encoded = base64.encodebytes(data).decode()
    return (f"From: {sender}\r\nTo: kefu@gas.example.com\r\nSubject: =?utf-8?B?{b64('账单', 'utf-8')}?=\r\n"
            f"Date: {DATE}\r\nMessage-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{b64(body, 'utf-8')}\r\n--{boundary}\r\nContent-Type: {ctype}\r\n"
            f"Content-Disposition: attachment; filename*={filename_charset}''{name}\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--{boundary}--\r\n").encode("ascii")


HTML_ONLY = (
    "From: shop@example.com\r\nTo: kefu@gas.example.com\r\nSubject: =?utf-8?B?" + b64("订单问题", "utf-8") + "?=\r\n"
    "Message-ID: <html-only-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
    "<p onclick=\"steal()\">您好，<b>燃气表</b>不走字。</p><img src=\"http://tracker.example.com/p.gif\">"
    "<a href=\"javascript:alert(1)\">点这里</a><iframe src=\"http://evil\"></iframe>"
    "<img src=x onerror=alert(2)></body></html>\r\n"
).encode("utf-8")

AUTO_REPLY = mail(message_id="ooo-1@corp.example.com", sender="boss@corp.example.com", subject="自动回复: 燃气费",
                  body="我正在休假，12月8日回来。", extra="Auto-Submitted: auto-replied\nX-Autoreply: yes")


def bounce(for_message_id: str) -> bytes:
    """A DSN (RFC 3464) from Postfix for one of our messages."""
    boundary = "bounce-boundary"
    return (f"From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\r\nTo: kefu@gas.example.com\r\n"
            f"Subject: Undelivered Mail Returned to Sender\r\n"
            f"Message-ID: <dsn-{for_message_id[:8]}@mail.example.com>\r\n"
            f"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"\r\n\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message "
            f"could not be delivered.\r\n550 5.1.1 User unknown\r\n"
            f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.com\r\n\r\n"
            f"Final-Recipient: rfc822; nobody@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{for_message_id}>\r\n"
            f"Subject: Re: test\r\n--{boundary}--\r\n").encode("ascii")
