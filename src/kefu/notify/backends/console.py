"""SMS to the log, for development: a masked number and the text, never the full number."""

import logging

from kefu.core.pii import mask_phone
from kefu.notify.backends.base import SmsBackend

logger = logging.getLogger("kefu.notify.sms")


class ConsoleSms(SmsBackend):
    """Writes each message to the log instead of sending it."""

    def send(self, phone: str, template_code: str, params: dict[str, str], text: str) -> str:
        logger.info("SMS to %s (template %s): %s", mask_phone(phone), template_code or "-", text)
        return ""
