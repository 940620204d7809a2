"""The one contract every channel keeps (STYLE §6): deliver a reply, or say whether trying again can help.

A channel is a small package (`channels/email`, `channels/webhook`, `channels/wechat`) with an adapter that
subclasses `Adapter` and registers itself for its media. The outbound service and the worker only ever call
`adapter_for(medium).send(outbound)`; they decide on retries from the failure's class alone.
"""

from abc import ABC, abstractmethod


class DeliveryFailure(Exception):
    """A reply was not delivered. `code` is the protocol's or platform's code, kept for the agent to see."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code

    def __str__(self):
        text = super().__str__()
        return f"{self.code}: {text}" if self.code else text


class TemporaryFailure(DeliveryFailure):
    """Trying again later may work: connection refused, timeout, 4xx SMTP reply, 5xx HTTP, throttling."""


class PermanentFailure(DeliveryFailure):
    """Trying again cannot work: unknown recipient, 5xx SMTP reply, bad credentials, window closed."""


class Adapter(ABC):
    """One channel's way of sending a reply."""

    media: tuple[str, ...] = ()

    @abstractmethod
    def send(self, outbound) -> str:
        """Send one OutboundMessage and return the platform's id for it ("" if it has none).

        Raise TemporaryFailure or PermanentFailure on failure, nothing else."""


_ADAPTERS: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    """Make `adapter` the sender for each of its media (called when the channel's module is imported)."""
    for medium in adapter.media:
        _ADAPTERS[medium] = adapter
    return adapter


def adapter_for(medium: str) -> Adapter:
    """The adapter that sends on `medium`."""
    from kefu.channels import email, webhook, wechat  # noqa: F401 — each registers its adapter on import

    try:
        return _ADAPTERS[medium]
    except KeyError:
        raise PermanentFailure(f"no adapter for {medium!r}", code="no_adapter") from None
