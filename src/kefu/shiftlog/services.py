"""The handover sheet: prepared from the agent's open work, passed item by item to named people of the next
shift, acknowledged by each; what stays unacknowledged is escalated to the team lead."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.core.store import save_versioned, stale
from kefu.shiftlog.models import Handover, HandoverItem, HandoverStatus, ItemKind

ESCALATE_AFTER = timedelta(minutes=30)  # an item passed on and not acknowledged this long goes to the team lead


def _signed_in(actor) -> None:
    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in first."), code="not_signed_in")


@transaction.atomic
def prepare_handover(*, actor, now: datetime | None = None) -> Handover:
    """Start the sheet (or return the draft already started) with the agent's open tickets and the callbacks
    due before the end of the next shift."""
    from kefu.callbacks.models import CallbackTask
    from kefu.tickets.lifecycle import OPEN_STATUSES
    from kefu.tickets.models import Ticket
    from kefu.workforce.selectors import on_shift

    _signed_in(actor)
    at = now or timezone.now()
    draft = Handover.objects.filter(author=actor, status=HandoverStatus.DRAFT).first()
    if draft is not None:
        return draft
    shift = on_shift(actor, at)
    sheet = Handover.objects.create(author=actor, shift=shift, created_at=at)
    items = [HandoverItem(handover=sheet, kind=ItemKind.TICKET, ticket=t, text=f"{t}"[:300])
             for t in Ticket.objects.filter(assignee=actor, status__in=OPEN_STATUSES).order_by("-priority",
                                                                                                "created_at")[:50]]
    horizon = at + timedelta(hours=12)
    items += [HandoverItem(handover=sheet, kind=ItemKind.CALLBACK, ticket_id=c.ticket_id, due_at=c.due_at,
                           text=_("Callback due %(due)s")
                           % {"due": timezone.localtime(c.due_at).strftime("%m-%d %H:%M")})
              for c in CallbackTask.objects.filter(assignee=actor, state=CallbackTask.State.OPEN,
                                                   due_at__lte=horizon).order_by("due_at")[:50]]
    HandoverItem.objects.bulk_create(items)
    return sheet


STALE_SHEET = stale(gettext_lazy("This handover was changed since you loaded it."))


def _own_draft(actor, handover_id: int, version: int | None) -> Handover:
    sheet = Handover.objects.filter(pk=handover_id, author_id=getattr(actor, "pk", None)).first()
    if sheet is None:
        raise NotFound(_("No such handover."), code="not_found")
    if sheet.status != HandoverStatus.DRAFT:
        raise Conflict(_("This handover was already passed on."), code="already_passed")
    if version is None:
        raise ValidationFailed(_("Send the version you loaded."), code="required", field="version")
    if sheet.version != version:
        raise Conflict(_("This handover was changed since you loaded it."), code="stale_version",
                       params={"current_version": sheet.version})
    return sheet


@transaction.atomic
def edit_handover(*, actor, handover_id: int, version: int | None, notes: str | None = None,
                  assign: dict[int, int | None] | None = None, add: list[dict] = (),
                  remove: list[int] = ()) -> Handover:
    """Notes, who each item goes to, items added by hand (a promise, a fault) or taken out."""
    from kefu.accounts.models import User

    sheet = _own_draft(actor, handover_id, version)
    bad = []
    people = {u.pk for u in User.objects.filter(is_active=True, pk__in=[v for v in (assign or {}).values() if v]
                                                + [a.get("to_user") for a in add if a.get("to_user")])}
    for item_id, user_id in (assign or {}).items():
        if user_id is not None and (user_id not in people or user_id == actor.pk):
            bad.append(f"item_{item_id}")
    for k, a in enumerate(add):
        incomplete = a.get("kind") not in ItemKind.values or not (a.get("text") or "").strip() or len(a["text"]) > 300
        nobody = a.get("to_user") and (a["to_user"] not in people or a["to_user"] == actor.pk)
        if incomplete or nobody:
            bad.append(f"add_{k}")
    if notes is not None and len(notes) > 5000:
        bad.append("notes")
    if bad:
        raise ValidationFailed(_("Some items are incomplete or passed to nobody on duty."), code="invalid",
                               field=bad[0], params={"fields": bad})
    # One conditional UPDATE first: of two edits based on the same version only one goes on (the other: 409).
    save_versioned(sheet, version, {"notes": notes} if notes is not None else {}, conflict=STALE_SHEET,
                   where={"status": HandoverStatus.DRAFT})
    for item_id, user_id in (assign or {}).items():
        sheet.items.filter(pk=item_id).update(to_user_id=user_id)
    sheet.items.filter(pk__in=list(remove)).delete()
    HandoverItem.objects.bulk_create([HandoverItem(handover=sheet, kind=a["kind"], text=a["text"].strip(),
                                                   to_user_id=a.get("to_user")) for a in add])
    sheet.refresh_from_db()
    return sheet


@transaction.atomic
def pass_handover(*, actor, handover_id: int, version: int | None, now: datetime | None = None) -> Handover:
    """Pass the sheet on: every item must be passed to a named person; each is told."""
    from kefu.notify.services import queue_notification

    sheet = _own_draft(actor, handover_id, version)
    unassigned = list(sheet.items.filter(to_user__isnull=True).values_list("pk", flat=True))
    if unassigned:
        raise ValidationFailed(_("Every item must be passed to a named person of the next shift."),
                               code="item_unassigned", field=f"item_{unassigned[0]}", params={"items": unassigned})
    at = now or timezone.now()
    save_versioned(sheet, version, {"status": HandoverStatus.PASSED, "passed_at": at}, conflict=STALE_SHEET,
                   where={"status": HandoverStatus.DRAFT})
    people = set(sheet.items.values_list("to_user_id", flat=True))
    from kefu.accounts.models import User

    transaction.on_commit(lambda: [queue_notification(
        recipient=u, channel="in_app", kind="handover", subject=_("Handover for you"),
        body=_("%(agent)s passed you items of their handover; acknowledge each.") % {"agent": actor})
        for u in User.objects.filter(pk__in=people)])
    sheet.refresh_from_db()
    return sheet


@transaction.atomic
def acknowledge(*, actor, item_id: int, now: datetime | None = None) -> HandoverItem:
    """The person an item was passed to acknowledges it (once; a second time changes nothing)."""
    _signed_in(actor)
    item = HandoverItem.objects.select_related("handover").filter(pk=item_id).first()
    if item is None or item.handover.status != HandoverStatus.PASSED or item.to_user_id != actor.pk:
        raise NotFound(_("No such handover item for you."), code="not_found")
    HandoverItem.objects.filter(pk=item.pk, acknowledged_at__isnull=True).update(acknowledged_at=now or timezone.now())
    item.refresh_from_db()
    return item


@transaction.atomic
def escalate_unacknowledged(*, now: datetime | None = None) -> int:
    """Tell the team lead about items passed on and not acknowledged in time; each item escalated once."""
    from kefu.accounts.models import User
    from kefu.accounts.roles import Role
    from kefu.notify.services import queue_notification

    at = now or timezone.now()
    late = list(HandoverItem.objects.select_related("handover__author", "to_user").filter(
        handover__status=HandoverStatus.PASSED, acknowledged_at__isnull=True, escalated_at__isnull=True,
        handover__passed_at__lte=at - ESCALATE_AFTER))
    for item in late:
        if not HandoverItem.objects.filter(pk=item.pk, escalated_at__isnull=True).update(escalated_at=at):
            continue
        leads = User.objects.filter(is_active=True, role=Role.TEAM_LEAD, team_id=item.handover.author.team_id)
        for lead in leads:
            queue_notification(recipient=lead, channel="in_app", kind="handover_escalation",
                               subject=_("Handover not acknowledged"),
                               body=_("%(to)s has not acknowledged an item handed over by %(agent)s: %(text)s")
                               % {"to": item.to_user, "agent": item.handover.author, "text": item.text})
    return len(late)
