"""The contract every delivery backend keeps: succeed, or say whether trying again can help."""

from abc import ABC, abstractmethod


class DeliveryFailure(Exception):
    """A message was not delivered. `code` is the vendor's or the protocol's code, for the record."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code

    def __str__(self):
        text = super().__str__()
        return f"{self.code}: {text}" if self.code else text


class TemporaryFailure(DeliveryFailure):
    """Trying again later may work: network error, timeout, 5xx, the vendor's throttling."""


class PermanentFailure(DeliveryFailure):
    """Trying again cannot work: bad number or address, bad signature or template, other 4xx."""


class SmsBackend(ABC):
    """One way of sending a text message; kefu.notify.backends.sms_backend() picks the configured one."""

    @abstractmethod
    def send(self, phone: str, template_code: str, params: dict[str, str], text: str) -> str:
        """Send one SMS and return the vendor's message id ("" if it has none).

        `phone` is a mainland mobile number without +86; `template_code` and `params` (in the template's
        variable order) are what a vendor needs; `text` is the rendered message for backends without
        templates. Raise TemporaryFailure or PermanentFailure on failure, nothing else.
        """
