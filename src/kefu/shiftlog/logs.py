"""Duty log (值班日志) and work log (工作日志): prefilled from what kefu recorded, edited, signed or submitted."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.shiftlog.models import DutyLog, HandoverItem, ItemKind, WorkLog

TEXT_FIELDS = ("staffing", "incidents", "escalations", "complaints", "faults", "notes")


def _window(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def _duty_prefill(actor, day: date) -> dict:
    """The day's staffing (rostered vs attended), complaints received and faults handed over."""
    from kefu.attendance.selectors import day_rows, people
    from kefu.tickets.models import Ticket

    start, end = _window(day)
    rows = day_rows(people(actor), day, day)
    came = [r for r in rows if r["verdict"].status in ("present", "late", "early", "late_early")]
    late = [str(r["agent"]) for r in rows if r["verdict"].late_minutes]
    absent = [str(r["agent"]) for r in rows if r["verdict"].status == "absent"]
    staffing = _("Rostered %(n)s, present %(p)s.") % {"n": len(rows), "p": len(came)}
    if late:
        staffing += " " + _("Late: %(names)s.") % {"names": "、".join(late)}
    if absent:
        staffing += " " + _("Absent: %(names)s.") % {"names": "、".join(absent)}
    complaints = list(Ticket.objects.filter(created_at__gte=start, created_at__lt=end, ticket_type__is_complaint=True)
                      .values_list("pk", "title")[:50])
    faults = list(HandoverItem.objects.filter(kind=ItemKind.EQUIPMENT, handover__created_at__gte=start,
                                              handover__created_at__lt=end).values_list("text", flat=True)[:50])
    return {"staffing": staffing,
            "complaints": "\n".join(f"#{pk} {title}" for pk, title in complaints),
            "faults": "\n".join(faults)}


def _lead(actor) -> None:
    if actor is None or not actor.can_supervise():
        raise Forbidden(_("The duty log is kept by team leads and supervisors."), code="not_a_lead")


@transaction.atomic
def open_duty_log(*, actor, day: date | None, shift: str, now: datetime | None = None) -> DutyLog:
    """Start the shift's duty log, prefilled from the day's records (or return the one already started)."""
    _lead(actor)
    shift = (shift or "").strip()
    bad = [f for f, ok in (("day", day is not None), ("shift", 0 < len(shift) <= 40)) if not ok]
    if bad:
        raise ValidationFailed(_("Choose the date and name the shift."), code="invalid", field=bad[0],
                               params={"fields": bad})
    found = DutyLog.objects.filter(author=actor, day=day, shift=shift).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return DutyLog.objects.create(author=actor, day=day, shift=shift, created_at=now or timezone.now(),
                                          **_duty_prefill(actor, day))
    except IntegrityError:  # opened at the same moment in another tab
        return DutyLog.objects.get(author=actor, day=day, shift=shift)


@transaction.atomic
def edit_duty_log(*, actor, log_id: int, version: int | None, changes: dict, sign: bool = False,
                  now: datetime | None = None) -> DutyLog:
    """Edit the log's sections; signing it off freezes it."""
    log = DutyLog.objects.filter(pk=log_id, author_id=getattr(actor, "pk", None)).first()
    if log is None:
        raise NotFound(_("No such duty log."), code="not_found")
    if log.signed_at is not None:
        raise Conflict(_("This duty log was signed off and can no longer change."), code="signed")
    if version is None:
        raise ValidationFailed(_("Send the version you loaded."), code="required", field="version")
    bad = sorted(k for k, v in changes.items() if k not in TEXT_FIELDS or len(v or "") > 5000)
    if bad:
        raise ValidationFailed(_("Some sections are unknown or too long."), code="invalid", field=bad[0],
                               params={"fields": bad})
    extra = {"signed_at": now or timezone.now()} if sign else {}
    if not DutyLog.objects.filter(pk=log.pk, version=version).update(version=F("version") + 1, **changes, **extra):
        raise Conflict(_("This duty log was changed since you loaded it."), code="stale_version",
                       params={"current_version": DutyLog.objects.get(pk=log.pk).version})
    log.refresh_from_db()
    return log


def search_duty_logs(actor, q: str = "") -> list[DutyLog]:
    """Duty logs the actor may read, newest first, containing the words searched in any section."""
    found = DutyLog.objects.visible_to(actor).select_related("author")
    for word in (q or "").split()[:5]:
        cond = Q()
        for f in (*TEXT_FIELDS, "shift"):
            cond |= Q(**{f"{f}__icontains": word})
        found = found.filter(cond)
    return list(found[:100])


def _work_prefill(actor, day: date) -> str:
    from kefu.chat.models import Conversation
    from kefu.cti.models import Call
    from kefu.tickets.models import Ticket

    start, end = _window(day)
    tickets = list(Ticket.objects.filter(assignee=actor, updated_at__gte=start, updated_at__lt=end)
                   .values_list("pk", "title")[:30])
    calls = Call.objects.filter(agent=actor, rang_at__gte=start, rang_at__lt=end).count()
    chats = Conversation.objects.filter(agent=actor, created_at__gte=start, created_at__lt=end).count()
    lines = [_("Calls: %(n)s; chats: %(c)s; tickets worked: %(t)s.") % {"n": calls, "c": chats, "t": len(tickets)}]
    lines += [f"#{pk} {title}" for pk, title in tickets]
    return "\n".join(lines)


@transaction.atomic
def open_work_log(*, actor, day: date | None = None) -> WorkLog:
    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in first."), code="not_signed_in")
    day = day or timezone.localdate()
    found = WorkLog.objects.filter(author=actor, day=day).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return WorkLog.objects.create(author=actor, day=day, contacts=_work_prefill(actor, day))
    except IntegrityError:
        return WorkLog.objects.get(author=actor, day=day)


@transaction.atomic
def edit_work_log(*, actor, log_id: int, version: int | None, contacts: str, problems: str, submit: bool = False,
                  now: datetime | None = None) -> WorkLog:
    """Edit the day's work log; submitting it marks it done for the team lead (it can still be corrected)."""
    log = WorkLog.objects.filter(pk=log_id, author_id=getattr(actor, "pk", None)).first()
    if log is None:
        raise NotFound(_("No such work log."), code="not_found")
    if version is None:
        raise ValidationFailed(_("Send the version you loaded."), code="required", field="version")
    bad = [f for f, v in (("contacts", contacts), ("problems", problems)) if len(v or "") > 5000]
    if submit and not (problems or "").strip():
        bad.append("problems")
    if bad:
        raise ValidationFailed(_("Write the day's problems and solutions (at most 5000 characters)."),
                               code="invalid", field=bad[0], params={"fields": bad})
    extra = {"submitted_at": now or timezone.now()} if submit else {}
    if not WorkLog.objects.filter(pk=log.pk, version=version).update(version=F("version") + 1, contacts=contacts or "",
                                                                     problems=problems or "", **extra):
        raise Conflict(_("This work log was changed since you loaded it."), code="stale_version")
    log.refresh_from_db()
    return log


def missing_work_logs(actor, day: date) -> list:
    """Whom of the actor's people rostered that day has not submitted a work log."""
    from kefu.attendance.selectors import people
    from kefu.workforce.models import RosterStatus, Shift

    rostered = set(Shift.objects.filter(agent__in=people(actor), roster__status=RosterStatus.PUBLISHED, day=day)
                   .values_list("agent_id", flat=True))
    done = set(WorkLog.objects.filter(author_id__in=rostered, day=day, submitted_at__isnull=False)
               .values_list("author_id", flat=True))
    from kefu.accounts.models import User

    return list(User.objects.filter(pk__in=rostered - done).order_by("username"))
