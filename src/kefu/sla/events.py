"""The SLA events on a ticket's history: warnings, breaches, recomputed limits and escalations."""

import datetime as dt
from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.tickets.events import emit


class SlaEventCode(models.TextChoices):
    """Registered with kefu.tickets.events by SlaConfig.ready()."""

    SLA_WARNING = "sla_warning", _("Time limit nearly reached")
    SLA_BREACHED = "sla_breached", _("Time limit breached")
    SLA_RECOMPUTED = "sla_recomputed", _("Time limits recomputed")
    # The queue board reads these through the partial index event_escalated (kefu.tickets.board.ESCALATED).
    ESCALATED = "escalated", _("Escalated")


class ClockParams(TypedDict):
    """SLA_WARNING and SLA_BREACHED (written in batches by the sweeper: clock_params())."""

    clock: str  # kefu.sla.models.ClockKind
    due: str  # ISO datetime of the limit


class RecomputedParams(TypedDict):
    clocks: list[dict]  # {"kind", "target" (minutes), "due" (ISO)} per live clock


class EscalatedParams(TypedDict, total=False):
    step: int  # the ladder rung (sweeper)
    action: str  # kefu.sla.models.EscalationRung.Action
    reason: str
    notified: list[int]  # users told
    team: int  # where a REASSIGN rung moved the ticket
    skipped: bool
    error: str  # a service error code that stopped a rung
    manual: bool  # escalated by a person
    level: int
    major: bool  # a major or sudden event, escalated at once


def clock_params(clock) -> dict:
    """The params of a warning or breach of `clock`."""
    params: ClockParams = {"clock": clock.kind, "due": clock.due_at.isoformat()}
    return dict(params)


def recomputed_event(*, ticket, live: list, at: dt.datetime):
    """The ticket's limits changed with its type, priority or customer."""
    params: RecomputedParams = {"clocks": [{"kind": c.kind, "target": c.target, "due": c.due_at.isoformat()}
                                           for c in live]}
    return emit(ticket, SlaEventCode.SLA_RECOMPUTED, actor=None, at=at, params=dict(params))


def escalated_event(*, ticket, params: EscalatedParams, actor, at: dt.datetime):
    """The ticket was escalated (a rung, by hand, or as a major event)."""
    return emit(ticket, SlaEventCode.ESCALATED, actor=actor, at=at, params=dict(params))
