"""The memo events on a ticket's history (a question to the information desk and its answer)."""

import datetime as dt
from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.tickets.events import emit


class MemoEventCode(models.TextChoices):
    """Registered with kefu.tickets.events by MemosConfig.ready()."""

    MEMO_ASKED = "memo_asked", _("Memo sent to the information desk")
    MEMO_ANSWERED = "memo_answered", _("Memo answered")


class MemoParams(TypedDict):
    memo: int


def memo_asked_event(*, ticket, memo, actor, at: dt.datetime):
    """An agent asked the desk a question about the ticket."""
    params: MemoParams = {"memo": memo.pk}
    return emit(ticket, MemoEventCode.MEMO_ASKED, actor=actor, at=at, params=dict(params))


def memo_answered_event(*, ticket, memo, actor, at: dt.datetime):
    """The desk answered the ticket's memo."""
    params: MemoParams = {"memo": memo.pk}
    return emit(ticket, MemoEventCode.MEMO_ANSWERED, actor=actor, at=at, params=dict(params))
