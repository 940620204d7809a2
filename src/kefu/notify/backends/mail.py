"""Email through Django's configured mail backend (SMTP in production), failures sorted by the contract."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from kefu.notify.backends.base import PermanentFailure, TemporaryFailure


def send_email(address: str, subject: str, body: str) -> None:
    """Send one plain-text UTF-8 message; raise TemporaryFailure or PermanentFailure."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        # The server's reply usually quotes the address; the row already holds it, the error need not.
        codes = sorted({code for code, _reply in exc.recipients.values()})
        failure = TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
        raise failure("the mail server refused the recipient", code=f"smtp_{codes[0] if codes else 550}") from exc
    except smtplib.SMTPResponseException as exc:
        # 4xx is "try again later" in SMTP; 5xx (bad sender, bad login, rejected content) will not change.
        failure = TemporaryFailure if 400 <= exc.smtp_code < 500 else PermanentFailure
        raise failure("the mail server refused the message", code=f"smtp_{exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"cannot reach the mail server ({type(exc).__name__})", code="network") from exc
