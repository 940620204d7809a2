"""Out-of-scope requests passed to a manager (TK8, seed 001 §11d): recorded, decided, and until then the
customer gets no reply and the ticket cannot be resolved, so nobody promises what the manager has not decided."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_DECIDE_REFERRALS, Role
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.tickets import store
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.models import EventCode, ManagerReferral, Ticket
from kefu.tickets.services.common import require_handler
from kefu.tickets.store import bump

DECIDERS = CAN_DECIDE_REFERRALS  # who decides what falls outside the center's remit


def managers():
    """The people a referral can go to, in a stable order."""
    return User.objects.filter(role__in=DECIDERS, is_active=True).order_by("role", "username")


def refuse_while_referred(ticket: Ticket, *, field: str) -> None:
    """Refuse a reply or status change while the ticket's question is with the manager."""
    if ManagerReferral.objects.filter(ticket_id=ticket.pk, state=ManagerReferral.State.PENDING).exists():
        raise ValidationFailed(_("This request is with the manager; wait for the decision before answering."),
                               code="awaiting_manager", field=field)


@transaction.atomic(durable=True)
def refer_to_manager(*, actor: User | None, ticket_id: int, question: str, manager_id: int,
                     now: datetime | None = None) -> ManagerReferral:
    """Record an out-of-scope request and pass it to a manager; the ticket's replies wait for the decision."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    if not ticket.is_open:
        raise ValidationFailed(_("Only an open ticket can be passed to the manager."), code="ticket_done",
                               field="ticket")
    question = v.clean_text(question, field="question", limit=2000)
    if not question:
        raise ValidationFailed(_("Write what the manager should decide."), code="required", field="question")
    manager = managers().filter(pk=manager_id).first()
    if manager is None:
        raise ValidationFailed(_("Choose a manager."), code="unknown_manager", field="manager_id")
    if ManagerReferral.objects.filter(ticket_id=ticket.pk, state=ManagerReferral.State.PENDING).exists():
        raise ValidationFailed(_("This ticket already waits for a manager's decision."), code="duplicate",
                               field="ticket")
    at = now or timezone.now()
    try:
        # Two agents referring the same ticket at once both pass the check above; the partial unique
        # constraint lets one in, and the other gets the same answer as if it had come second.
        with transaction.atomic():
            referral = ManagerReferral.objects.create(ticket=ticket, question=question, manager=manager,
                                                      asked_by=actor, asked_at=at)
    except IntegrityError:
        raise ValidationFailed(_("This ticket already waits for a manager's decision."), code="duplicate",
                               field="ticket") from None
    bump(ticket, {"updated_at": at})
    emit(ticket, EventCode.REFERRED_TO_MANAGER, actor=actor, at=at,
         params={"referral": referral.pk, "manager": manager.pk})
    return referral


@transaction.atomic
def decide_referral(*, actor: User | None, referral_id: int, decision: str,
                    now: datetime | None = None) -> ManagerReferral:
    """The manager's decision; the asker is told and may answer the customer again."""
    if actor is not None and not actor.can_decide_referrals():
        raise Forbidden(_("Only a manager decides requests outside the center's remit."), code="cannot_decide")
    referral = ManagerReferral.objects.select_related("ticket", "asked_by").filter(pk=referral_id).first()
    if referral is None or (actor is not None and referral.manager_id != actor.pk and actor.role != Role.ADMIN
                            and actor.role != Role.DIRECTOR):
        raise NotFound(_("No such referral."), field="referral")
    decision = v.clean_text(decision, field="decision", limit=2000)
    if not decision:
        raise ValidationFailed(_("Write the decision."), code="required", field="decision")
    at = now or timezone.now()
    # Conditional: two clicks (or two managers) must not both decide.
    done = ManagerReferral.objects.filter(pk=referral.pk, state=ManagerReferral.State.PENDING).update(
        state=ManagerReferral.State.DECIDED, decision=decision, decided_by=actor, decided_at=at)
    if not done:
        raise ValidationFailed(_("This referral is already decided."), code="already_done", field="referral")
    referral.refresh_from_db()
    ticket = referral.ticket
    bump(ticket, {"updated_at": at})
    emit(ticket, EventCode.MANAGER_DECIDED, actor=actor, at=at, params={"referral": referral.pk})
    return referral
