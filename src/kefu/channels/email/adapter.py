"""Replies by email over SMTP (Django's mail connection), with a Message-ID tied to the ticket and the
headers that keep the customer's mail client in the same conversation."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from kefu.channels.base import Adapter, PermanentFailure, TemporaryFailure, register


class EmailAdapter(Adapter):
    """Sends email and fax replies (a fax gateway takes mail to number@gateway like any address)."""

    media = ("email", "fax")

    def send(self, outbound) -> str:
        parent = outbound.in_reply_to
        headers = {"Message-ID": f"<{outbound.external_id}>", "X-Kefu-Ticket": str(outbound.ticket_id)}
        if parent is not None and not parent.external_id.startswith("sha256:"):
            headers["In-Reply-To"] = f"<{parent.external_id}>"
            headers["References"] = f"<{parent.external_id}>"
        sender = outbound.mailbox.address if outbound.mailbox else settings.DEFAULT_FROM_EMAIL
        mail = EmailMessage(subject=outbound.subject, body=outbound.body, from_email=sender,
                            to=[outbound.recipient], headers=headers)
        try:
            get_connection(fail_silently=False).send_messages([mail])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _by_code(code, reply) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(str(exc) or type(exc).__name__, code="smtp_connection") from exc
        return outbound.external_id


def _by_code(code: int, reply) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    if 400 <= code < 500:
        return TemporaryFailure(text, code=f"smtp_{code}")
    return PermanentFailure(text, code=f"smtp_{code}")


register(EmailAdapter())
