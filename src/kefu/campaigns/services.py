"""Every change to campaigns: set one up, distribute or pull its calls, record what came of each call."""

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.audit.models import AuditAction
from kefu.audit.services import audits_refused_reveals, record
from kefu.campaigns.events import CallEventCode, emit, emit_many
from kefu.campaigns.models import (
    CallStatus,
    Campaign,
    CampaignCall,
    CampaignStatus,
    Outcome,
    Purpose,
    is_campaign_manager,
)
from kefu.campaigns.script import clean_script
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.core.store import load_visible, save_versioned, stale
from kefu.surveys.models import Questionnaire, Via
from kefu.surveys.services import record_response
from kefu.tickets.models import Ticket
from kefu.tickets.services import TicketInput, create_ticket
from kefu.tickets.services.common import require_handler

RESULTS = ("reached", "not_reached", "wrong_number")


@dataclass
class CampaignInput:
    """A campaign's settings as the supervisor gives them."""

    name: str
    purpose: str
    script: str = ""
    questionnaire_id: int | None = None
    max_attempts: int = 3
    retry_minutes: int = 120
    pull_allowed: bool = True


def require_manager(actor: User | None) -> None:
    # actor=None is the operator at the command line or a trusted system task.
    if actor is not None and not is_campaign_manager(actor):
        raise Forbidden(_("Only team leads, supervisors and administrators run campaigns."),
                        code="cannot_manage_campaigns")


def load_campaign(actor: User | None, campaign_id: int, *, field: str = "campaign_id") -> Campaign:
    """The campaign as the actor may see it; an invisible one is reported like a missing one."""
    return load_visible(
        Campaign.objects.select_related("questionnaire"),
        actor, campaign_id, message=_("No such campaign."), field=field)


def _int(value, *, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(_("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                               code="out_of_range", field=field, params={"min": low, "max": high})
    return value


def _clean(data: CampaignInput) -> dict:
    name = (data.name or "").strip()
    if not name:
        raise ValidationFailed(_("This field is required."), code="required", field="name")
    if len(name) > 100:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 100}, code="too_long", field="name")
    if data.purpose not in Purpose.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="purpose",
                               params={"allowed": list(Purpose.values)})
    script = (data.script or "").strip()
    if len(script) > 4000:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 4000}, code="too_long", field="script")
    clean_script(script)
    questionnaire = None
    if data.questionnaire_id is not None:
        questionnaire = Questionnaire.objects.filter(pk=data.questionnaire_id, active=True).first()
        if questionnaire is None:
            raise ValidationFailed(_("No such active questionnaire."), code="unknown_questionnaire",
                                   field="questionnaire_id")
    return {"name": name, "purpose": data.purpose, "script": script, "questionnaire": questionnaire,
            "max_attempts": _int(data.max_attempts, field="max_attempts", low=1, high=10),
            "retry_minutes": _int(data.retry_minutes, field="retry_minutes", low=1, high=7 * 24 * 60),
            "pull_allowed": bool(data.pull_allowed)}


# Not durable: the utility pack's arrears reminders create a campaign and its calls in one transaction.
@transaction.atomic
def create_campaign(*, actor: User | None, data: CampaignInput, now: datetime | None = None) -> Campaign:
    """Set up a campaign (open, with an empty call list)."""
    require_manager(actor)
    clean = _clean(data)
    at = now or timezone.now()
    campaign = Campaign.objects.create(**clean, created_by=actor if getattr(actor, "pk", None) else None,
                                       created_at=at, updated_at=at)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="campaign", target_id=campaign.pk,
           params={"op": "created", "purpose": campaign.purpose})
    return campaign


def _save(campaign: Campaign, version: int | None, changes: dict) -> None:
    if version is None:
        raise ValidationFailed(_("Send the version you are changing."), code="required", field="version")
    save_versioned(campaign, version, changes,
                   conflict=stale(_("Someone else changed this campaign since you opened it. Reload and try again.")))


@transaction.atomic(durable=True)
def update_campaign(*, actor: User | None, campaign_id: int, version: int | None, data: CampaignInput,
                    now: datetime | None = None) -> Campaign:
    """Change a campaign's settings if nobody changed them since `version`."""
    require_manager(actor)
    campaign = load_campaign(actor, campaign_id)
    clean = _clean(data)
    changed = sorted(k for k, v in clean.items() if getattr(campaign, k) != v)
    _save(campaign, version, {**clean, "updated_at": now or timezone.now()})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="campaign", target_id=campaign.pk,
           params={"op": "changed", "fields": changed})
    return load_campaign(actor, campaign.pk)


@transaction.atomic(durable=True)
def set_campaign_status(*, actor: User | None, campaign_id: int, version: int | None, status: str,
                        now: datetime | None = None) -> Campaign:
    """Close a campaign (its calls stop) or open it again."""
    require_manager(actor)
    campaign = load_campaign(actor, campaign_id)
    if status not in CampaignStatus.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="status")
    _save(campaign, version, {"status": status, "updated_at": now or timezone.now()})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="campaign", target_id=campaign.pk,
           params={"op": "status", "status": status})
    return load_campaign(actor, campaign.pk)


# -- working the calls -----------------------------------------------------------------------------------


def _agents(agent_ids: list[int]) -> list[User]:
    if not agent_ids:
        raise ValidationFailed(_("Choose at least one agent."), code="required", field="agent_ids")
    agents = list(User.objects.filter(pk__in=set(agent_ids), is_active=True).exclude(role__in=[
        Role.FIELD_CREW, Role.QA_INSPECTOR]).order_by("pk"))
    unknown = sorted(set(agent_ids) - {a.pk for a in agents})
    if unknown:
        raise ValidationFailed(_("These people cannot take calls: %(ids)s.") % {"ids": unknown},
                               code="unknown_agent", field="agent_ids", params={"unknown": unknown})
    return agents


@transaction.atomic(durable=True)
def distribute_calls(*, actor: User | None, campaign_id: int, agent_ids: list[int],
                     now: datetime | None = None) -> dict[int, int]:
    """Give the campaign's free calls to the chosen agents so that their open calls come out even.

    Returns {agent id: calls given now}."""
    require_manager(actor)
    campaign = load_campaign(actor, campaign_id)
    if not campaign.is_open:
        raise ValidationFailed(_("This campaign is closed."), code="campaign_closed", field="campaign_id")
    agents = _agents(agent_ids)
    load = dict(CampaignCall.objects.filter(campaign=campaign, status=CallStatus.PENDING, agent__in=agents)
                .values("agent_id").annotate(n=Count("id")).values_list("agent_id", "n"))
    heap = [(load.get(a.pk, 0), a.pk) for a in agents]
    heapq.heapify(heap)
    given: dict[int, list[int]] = {a.pk: [] for a in agents}
    free = CampaignCall.objects.filter(campaign=campaign, status=CallStatus.PENDING, agent__isnull=True)
    for call_id in free.order_by("id").values_list("pk", flat=True):
        count, agent_id = heapq.heappop(heap)
        given[agent_id].append(call_id)
        heapq.heappush(heap, (count + 1, agent_id))
    at = now or timezone.now()
    result = {}
    for agent_id, ids in given.items():
        # An agent may pull one of these calls meanwhile: the condition leaves such a call with them.
        CampaignCall.objects.filter(pk__in=ids, agent__isnull=True, status=CallStatus.PENDING).update(
            agent_id=agent_id, assigned_at=at, version=F("version") + 1)
        mine = list(CampaignCall.objects.filter(pk__in=ids, agent_id=agent_id))
        emit_many(mine, CallEventCode.ASSIGNED, actor=actor, at=at, params={"agent": agent_id})
        result[agent_id] = len(mine)
    return result


def _next_free(campaign: Campaign, at: datetime) -> int | None:
    """The id of the next free call that is due: only a read, another agent may claim it first."""
    return (CampaignCall.objects.filter(campaign=campaign, status=CallStatus.PENDING, agent__isnull=True)
            .exclude(due_at__gt=at).order_by(F("due_at").asc(nulls_first=True), "id")
            .values_list("pk", flat=True).first())


@transaction.atomic(durable=True)
def pull_next_call(*, actor: User, campaign_id: int, now: datetime | None = None) -> CampaignCall | None:
    """Give the agent the next free call that is due, or None when there is none."""
    require_handler(actor)
    campaign = load_campaign(actor, campaign_id)
    if not campaign.is_open or not campaign.pull_allowed:
        raise ValidationFailed(_("Calls of this campaign are handed out by the supervisor."), code="pull_not_allowed",
                               field="campaign_id")
    at = now or timezone.now()
    for _attempt in range(10):
        candidate = _next_free(campaign, at)
        if candidate is None:
            return None
        # Two agents pressing "next call" together can read the same candidate. The conditional UPDATE
        # gives it to exactly one of them; the other sees 0 rows and tries the next free call.
        claimed = CampaignCall.objects.filter(pk=candidate, agent__isnull=True, status=CallStatus.PENDING).update(
            agent=actor, assigned_at=at, version=F("version") + 1)
        if claimed:
            call = CampaignCall.objects.select_related("campaign").get(pk=candidate)
            emit(call, CallEventCode.PULLED, actor=actor, at=at, params={"agent": actor.pk})
            return call
    return None


def load_call(actor: User | None, call_id: int, *, field: str = "call_id") -> CampaignCall:
    """A call as the actor may work it: managers any call, an agent only their own."""
    qs = CampaignCall.objects.select_related("campaign", "campaign__questionnaire", "agent", "customer", "ticket")
    call = qs.filter(pk=call_id).first()
    if call is None or (actor is not None and not is_campaign_manager(actor) and call.agent_id != actor.pk):
        raise NotFound(_("No such call."), field=field)
    return call


@dataclass
class CallResult:
    """What the agent reports after dialling: reached (with an outcome), not reached, or a wrong number."""

    result: str
    outcome: str = ""
    note: str = ""
    answers: dict | None = None  # survey answers {question id: value}, when the campaign has a questionnaire


def _result_changes(call: CampaignCall, data: CallResult, at: datetime) -> tuple[dict, CallEventCode]:
    attempts = call.attempts + 1
    if data.result == "reached":
        return ({"status": CallStatus.DONE, "outcome": data.outcome, "done_at": at, "attempts": attempts},
                CallEventCode.COMPLETED)
    if data.result == "wrong_number":
        return {"status": CallStatus.WRONG_NUMBER, "done_at": at, "attempts": attempts}, CallEventCode.WRONG_NUMBER
    if attempts >= call.campaign.max_attempts:
        return {"status": CallStatus.UNREACHABLE, "done_at": at, "attempts": attempts}, CallEventCode.GAVE_UP
    return ({"attempts": attempts, "due_at": at + timedelta(minutes=call.campaign.retry_minutes)},
            CallEventCode.NOT_REACHED)


def _check_result(data: CallResult) -> str:
    if data.result not in RESULTS:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="result",
                               params={"allowed": list(RESULTS)})
    if data.result == "reached" and data.outcome not in Outcome.values:
        raise ValidationFailed(_("Say what came of the call."), code="required" if not data.outcome else
                               "invalid_choice", field="outcome", params={"allowed": list(Outcome.values)})
    note = (data.note or "").strip()
    if len(note) > 500:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 500}, code="too_long", field="note")
    return note


def _has_answers(answers: dict | None) -> bool:
    return bool(answers) and any(v not in (None, "", []) for v in answers.values())


@transaction.atomic(durable=True)
def record_call_result(*, actor: User | None, call_id: int, version: int | None, data: CallResult,
                       now: datetime | None = None) -> CampaignCall:
    """Record one attempt: reached with an outcome (and survey answers), not reached (retry later, up to the
    campaign's limit) or a wrong number."""
    require_handler(actor)
    call = load_call(actor, call_id)
    if not call.campaign.is_open:
        raise ValidationFailed(_("This campaign is closed."), code="campaign_closed", field="call_id")
    if not call.is_pending:
        raise ValidationFailed(_("This call is finished."), code="already_done", field="call_id")
    if version is None:
        raise ValidationFailed(_("Send the version you are changing."), code="required", field="version")
    note = _check_result(data)
    at = now or timezone.now()
    changes, code = _result_changes(call, data, at)
    response = None
    if data.result == "reached" and call.campaign.questionnaire_id and _has_answers(data.answers):
        response = record_response(actor=actor, questionnaire_id=call.campaign.questionnaire_id,
                                   answers=data.answers, via=Via.CAMPAIGN, now=at)
        changes["response"] = response
    save_versioned(call, version, {"result_note": note, **changes}, where={"status": CallStatus.PENDING},
                   conflict=stale(_("This call was changed since you opened it. Reload and try again.")))
    params = {"attempt": changes["attempts"], "outcome": data.outcome if data.result == "reached" else None,
              "response": response.pk if response else None}
    emit(call, code, actor=actor, at=at, params=params)
    call.refresh_from_db()
    return call


@audits_refused_reveals("campaign_call", "call_id")
@transaction.atomic(durable=True)
def reveal_call_phone(*, actor: User, call_id: int, reason: str = "") -> str:
    """The full number to dial, for a role allowed to see it; the reveal is audited and in the call's history."""
    if not actor.can_reveal_pii():
        raise Forbidden(_("Your role cannot see full personal data."), code="cannot_reveal")
    call = load_call(actor, call_id)
    record(actor=actor, action=AuditAction.PII_REVEALED, target_type="campaign_call", target_id=call.pk,
           params={"what": "phone", "reason": (reason or "")[:200]})
    emit(call, CallEventCode.PHONE_REVEALED, actor=actor, at=timezone.now())
    return call.phone


@transaction.atomic(durable=True)
def open_ticket_from_call(*, actor: User | None, call_id: int, ticket_type: str, title: str, description: str = "",
                          custom: dict | None = None, now: datetime | None = None) -> Ticket:
    """Open a ticket for what came up on a call (a new need, a complaint), with the call's number and customer."""
    call = load_call(actor, call_id)
    if call.ticket_id:
        raise ValidationFailed(_("This call already opened a ticket."), code="already_done", field="call_id",
                               params={"ticket": call.ticket_id})
    at = now or timezone.now()
    ticket = create_ticket(actor=actor, data=TicketInput(
        type=ticket_type, title=title, description=description, contact_phone=call.phone, reporter_name=call.name,
        customer_id=call.customer_id, channel="phone", custom=custom or {},
        assignee_id=actor.pk if getattr(actor, "pk", None) else None,
        team_id=actor.team_id if getattr(actor, "pk", None) else None), now=at)
    # The ticket's id, never its contact: the call history keeps codes and ids only.
    if not CampaignCall.objects.filter(pk=call.pk, ticket__isnull=True).update(ticket=ticket,
                                                                               version=F("version") + 1):
        raise Conflict(_("This call was changed since you opened it. Reload and try again."), field="version")
    emit(call, CallEventCode.TICKET_OPENED, actor=actor, at=at, params={"ticket": ticket.pk})
    return ticket
