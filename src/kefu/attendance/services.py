"""Every change to attendance: clocking in and out, corrections and their approval (audited)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.attendance.models import Correction, CorrectionStatus, Policy, Punch, PunchKind, is_team_scoped
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed


def policy() -> Policy:
    """The center's attendance rules (the defaults until an administrator changes them)."""
    found = Policy.objects.order_by("pk").first()
    return found if found is not None else Policy.objects.create()


def may_decide(actor, user) -> bool:
    """A team lead decides for their own team; supervisors and up for everyone; nobody for themselves."""
    if actor is None:
        return True
    if not actor.can_supervise() or actor.pk == user.pk:
        return False
    return not is_team_scoped(actor) or (actor.team_id is not None and actor.team_id == user.team_id)


@transaction.atomic
def clock(*, actor, kind: str, now: datetime | None = None) -> Punch:
    """Clock in or out on the web; a second clock-in within a minute is the same one (double click)."""
    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in to clock in or out."), code="not_signed_in")
    if kind not in PunchKind.values:
        raise ValidationFailed(_("Clock in or clock out."), code="invalid", field="kind")
    at = now or timezone.now()
    recent = Punch.objects.filter(user=actor, kind=kind, at__gt=at - timedelta(minutes=1), at__lte=at).first()
    return recent or Punch.objects.create(user=actor, kind=kind, at=at)


@transaction.atomic
def request_correction(*, actor, day: date | None, kind: str, at: datetime | None, reason: str,
                       now: datetime | None = None) -> Correction:
    """The agent asks to set a day's clock-in or clock-out time; the team lead approves or refuses it."""
    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in to request a correction."), code="not_signed_in")
    current = now or timezone.now()
    bad = []
    if day is None or day > timezone.localdate(current):
        bad.append("day")
    if kind not in PunchKind.values:
        bad.append("kind")
    if at is None or (day is not None and abs((timezone.localtime(at).date() - day).days) > 1) or at > current:
        bad.append("at")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        bad.append("reason")
    if bad:
        raise ValidationFailed(_("Some fields of the correction are missing or wrong."), code="invalid",
                               field=bad[0], params={"fields": bad})
    if Correction.objects.filter(user=actor, day=day, kind=kind, status=CorrectionStatus.PENDING).exists():
        raise Conflict(_("A correction of this day is already waiting for the team lead."), code="already_pending",
                       field="day")
    return Correction.objects.create(user=actor, day=day, kind=kind, at=at, reason=reason, created_at=current)


@transaction.atomic
def decide_correction(*, actor, correction_id: int, version: int | None, approve: bool,
                      now: datetime | None = None) -> Correction:
    """Approve or refuse a pending correction (the agent's own team lead; audited; 409 when decided meanwhile)."""
    correction = Correction.objects.select_related("user").filter(pk=correction_id).first()
    if correction is None or (actor is not None and not Correction.objects.visible_to(actor)
                              .filter(pk=correction_id).exists()):
        raise NotFound(_("No such correction."), code="not_found")
    if not may_decide(actor, correction.user):
        raise Forbidden(_("Only the agent's team lead decides corrections, never their own."),
                        code="not_the_team_lead")
    if version is None:
        raise ValidationFailed(_("Send the version you decided on."), code="required", field="version")
    status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REFUSED
    at = now or timezone.now()
    done = Correction.objects.filter(pk=correction.pk, version=version, status=CorrectionStatus.PENDING).update(
        status=status, decided_by=actor if getattr(actor, "pk", None) else None, decided_at=at,
        version=F("version") + 1)
    if not done:
        raise Conflict(_("This correction was decided or changed since you loaded it."), code="stale_version",
                       params={"current_version": Correction.objects.get(pk=correction.pk).version})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="attendance_correction",
           target_id=correction.pk, params={"decision": status, "user": correction.user_id,
                                            "day": correction.day.isoformat(), "kind": correction.kind})
    correction.refresh_from_db()
    return correction
