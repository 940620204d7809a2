"""Where QA finds contacts: a registry of contact sources (ticket conversations, calls, chats …).

Each source is an object with a `code`, a `label`, `contacts(start, end)` yielding the ContactData of the contacts
that started in [start, end), and `load(ref)` giving one contact's full ContactData (with its transcript) or
None. kefu.quality provides the ticket and call sources itself (kefu.quality.sources); another app (the chat)
registers its own from its AppConfig.ready(), so quality never imports it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

AGENT = "agent"
CUSTOMER = "customer"


@dataclass
class Line:
    """One utterance of a transcript: who spoke, when (an offset in seconds from the start), what was said."""

    speaker: str  # AGENT or CUSTOMER
    offset: float | None
    text: str
    ref: str = ""  # the source's own id of the line (a message id), for comments on a moment


@dataclass
class ContactData:
    """What a source tells QA about one contact."""

    source: str
    ref: str
    agent_id: int
    started_at: datetime
    channel: str
    team_id: int | None = None
    ticket_id: int | None = None
    link: str = ""
    lines: list[Line] = field(default_factory=list)
    talk_seconds: int | None = None
    hold_seconds: int | None = None
    recording: str = ""


class Source(Protocol):
    code: str
    label: str

    def contacts(self, start: datetime, end: datetime) -> Iterable[ContactData]: ...

    def load(self, ref: str) -> ContactData | None: ...


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    """Make a contact source known to QA; registering the same code again replaces it."""
    _SOURCES[source.code] = source


def sources() -> list[Source]:
    return list(_SOURCES.values())


def source(code: str) -> Source | None:
    return _SOURCES.get(code)
