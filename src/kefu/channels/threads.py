"""Which ticket a mail belongs to: by Message-ID (In-Reply-To, then References), then by the ticket number
token in the subject, then by Outlook's Thread-Index. Never by subject text alone: two customers writing
"燃气费" are two conversations.

Only a message's *own* Message-ID becomes a key, never the ids it refers to: replies from several people to
one newsletter all refer to the newsletter, and must not land on whichever ticket saw it first."""

import re

from kefu.channels.models import ThreadedBy, ThreadKey
from kefu.tickets.models import Ticket

SUBJECT_TAG = "[工单 GD%(id)08d]"
_TOKEN = re.compile(r"[\[【]\s*(?:工单|工單|Ticket)?\s*#?\s*GD(\d{8,12})\s*[\]】]", re.I)
_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv|答复|回复|回覆|转发|轉寄|转寄|自动回复)\s*(\[\d+\])?\s*[:：]\s*)+", re.I)


def token_for(ticket_id: int) -> str:
    """The token kefu puts in the subject of every mail about ticket `ticket_id`."""
    return SUBJECT_TAG % {"id": ticket_id}


def normalise_subject(subject: str) -> str:
    """The subject without reply/forward prefixes, our token and spacing, to tell a new matter from a reply."""
    text = _TOKEN.sub("", subject or "")
    text = _PREFIX.sub("", text)
    return " ".join(text.split()).lower()


def _live(ticket_id: int | None) -> dict | None:
    """The ticket a key leads to, following merges; None when it is gone."""
    seen = 0
    while ticket_id is not None and seen < 5:
        row = Ticket.objects.filter(pk=ticket_id).values("id", "is_open", "merged_into_id", "customer_id",
                                                          "title").first()
        if row is None or row["merged_into_id"] is None:
            return row
        ticket_id, seen = row["merged_into_id"], seen + 1
    return None


def find_ticket(*, message_id: str, in_reply_to: str, references: list[str], subject: str,
                thread_index: str) -> tuple[dict | None, str]:
    """(the ticket row, how it was found) or (None, ThreadedBy.NONE)."""
    wanted = [i for i in [in_reply_to, *reversed(references)] if i and i != message_id]
    if wanted:
        keys = dict(ThreadKey.objects.filter(key__in=[f"mid:{i}" for i in wanted]).values_list("key", "ticket_id"))
        for i in wanted:  # the nearest parent first
            if f"mid:{i}" in keys:
                row = _live(keys[f"mid:{i}"])
                if row is not None:
                    return row, ThreadedBy.MESSAGE_ID
    match = _TOKEN.search(subject or "")
    if match:
        row = _live(int(match.group(1)))
        if row is not None:
            return row, ThreadedBy.TOKEN
    if thread_index:
        found = ThreadKey.objects.filter(key=f"ti:{thread_index}").values_list("ticket_id", flat=True).first()
        row = _live(found)
        if row is not None:
            return row, ThreadedBy.THREAD_INDEX
    return None, ThreadedBy.NONE


def record_keys(ticket_id: int, *, message_id: str = "", thread_index: str = "") -> None:
    """Remember this message's own id (and Outlook conversation) as leading to `ticket_id`; first one wins."""
    keys = [ThreadKey(key=f"mid:{message_id}", ticket_id=ticket_id)] if message_id else []
    if thread_index:
        keys.append(ThreadKey(key=f"ti:{thread_index}", ticket_id=ticket_id))
    if keys:
        ThreadKey.objects.bulk_create(keys, ignore_conflicts=True)
