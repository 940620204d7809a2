"""Reading campaigns: the list, an agent's calls, a campaign's calls and its progress per agent."""

from django.db.models import Count, F, Q
from django.utils import timezone

from kefu.accounts.models import User
from kefu.campaigns.models import CallStatus, Campaign, CampaignCall, CampaignStatus, Outcome
from kefu.campaigns.script import fill

PAGE_SIZE = 50


def campaigns_for(user, *, status: str | None = None) -> list[Campaign]:
    """The campaigns the user may see with their call counts, newest first."""
    qs = (Campaign.objects.visible_to(user).select_related("questionnaire")
          .annotate(call_count=Count("calls", distinct=True),
                    open_count=Count("calls", filter=Q(calls__status=CallStatus.PENDING), distinct=True)))
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-created_at", "-id")[:200])


def my_calls(user, *, campaign_id: int | None = None, now=None) -> list[CampaignCall]:
    """The agent's calls still to make, those due now first (then by retry time), in every open campaign."""
    qs = (CampaignCall.objects.filter(agent_id=user.pk, status=CallStatus.PENDING, campaign__status=CampaignStatus.OPEN)
          .select_related("campaign"))
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return list(qs.order_by(F("due_at").asc(nulls_first=True), "id")[:200])


def campaign_calls(campaign: Campaign, *, status: str = "", agent_id: int | None = None,
                   page: int = 1) -> tuple[int, list[CampaignCall]]:
    """One page of a campaign's calls (masked phones on screen), with the total."""
    qs = CampaignCall.objects.filter(campaign=campaign).select_related("agent")
    if status:
        qs = qs.filter(status=status)
    if agent_id:
        qs = qs.filter(agent_id=agent_id)
    start = (max(page, 1) - 1) * PAGE_SIZE
    return qs.count(), list(qs.order_by("id")[start:start + PAGE_SIZE])


def progress(campaign: Campaign) -> dict:
    """Calls by status, outcomes, and per agent: given, done, reached, still to call — three queries."""
    calls = CampaignCall.objects.filter(campaign=campaign)
    by_status = dict(calls.values("status").annotate(n=Count("id")).values_list("status", "n"))
    by_outcome = dict(calls.exclude(outcome="").values("outcome").annotate(n=Count("id"))
                      .values_list("outcome", "n"))
    rows = list(calls.filter(agent__isnull=False).values("agent_id").annotate(
        total=Count("id"), pending=Count("id", filter=Q(status=CallStatus.PENDING)),
        reached=Count("id", filter=Q(status=CallStatus.DONE)),
        unreachable=Count("id", filter=Q(status=CallStatus.UNREACHABLE)),
        wrong=Count("id", filter=Q(status=CallStatus.WRONG_NUMBER))).order_by("agent_id"))
    names = {u.pk: u.label for u in User.objects.filter(pk__in=[r["agent_id"] for r in rows])}
    total = sum(by_status.values())
    finished = total - by_status.get(CallStatus.PENDING, 0)
    return {
        "total": total, "finished": finished, "percent": round(100 * finished / total, 1) if total else 0.0,
        "status": {s: by_status.get(s, 0) for s in CallStatus.values},
        "outcomes": [{"outcome": o, "label": str(label), "count": by_outcome.get(o, 0)}
                     for o, label in Outcome.choices],
        "agents": [{**r, "agent": names.get(r["agent_id"], "—"), "done": r["total"] - r["pending"]} for r in rows],
        "unassigned": calls.filter(agent__isnull=True, status=CallStatus.PENDING).count(),
    }


def call_out(call: CampaignCall) -> dict:
    """A call as the API shows it: the phone masked (the full number only through the audited reveal)."""
    return {"id": call.pk, "campaign_id": call.campaign_id, "name": call.name, "phone": call.masked_phone,
            "customer_id": call.customer_id, "reference": call.reference, "note": call.note,
            "agent_id": call.agent_id, "status": call.status, "attempts": call.attempts, "due_at": call.due_at,
            "outcome": call.outcome, "result_note": call.result_note, "response_id": call.response_id,
            "ticket_id": call.ticket_id,
            "version": call.version}


def campaign_out(c: Campaign) -> dict:
    return {"id": c.pk, "name": c.name, "purpose": c.purpose, "script": c.script,
            "questionnaire_id": c.questionnaire_id, "max_attempts": c.max_attempts, "retry_minutes": c.retry_minutes,
            "pull_allowed": c.pull_allowed, "status": c.status, "version": c.version, "created_at": c.created_at}


def script_for(call: CampaignCall, agent) -> str:
    """The campaign's script filled in for this call and agent."""
    return fill(call.campaign.script, actor=agent, call=call)


def is_due(call: CampaignCall, now=None) -> bool:
    return call.due_at is None or call.due_at <= (now or timezone.now())
