"""Contacts and samples: gather the month's contacts from every source with their automatic checks, then pick
each team's sample by its plan (N at random per agent, plus every complaint, low survey and check failure)."""

import random
from datetime import date, datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Conflict, NotFound
from kefu.quality.access import require_decider, require_inspector
from kefu.quality.checks import Checker, Limits
from kefu.quality.contacts import ContactData, sources
from kefu.quality.models import (
    Contact,
    QualityEvent,
    QualityEventCode,
    Sample,
    SampleReason,
    SampleState,
    SamplingPlan,
)
from kefu.quality.services.common import local_month, month_bounds
from kefu.quality.services.config import check_rules
from kefu.surveys.models import Response
from kefu.tickets.models import Ticket

BATCH = 500
_checker: dict = {}


def checker() -> Checker:
    """The compiled checker of the current rules, rebuilt only when the rules' version changes."""
    rules = check_rules()
    key = (rules.pk, rules.version)
    if _checker.get("key") != key:
        words = {kind: getattr(rules, kind) for kind in ("greeting", "closing", "polite", "forbidden", "rude",
                                                          "arguing")}
        limits = Limits(first_reply=rules.first_reply_limit, talk=rules.talk_limit, hold=rules.hold_limit,
                        silence=rules.silence_limit)
        _checker.update(key=key, checker=Checker(words, limits))
    return _checker["checker"]


def _row(data: ContactData, results: dict, flags: dict, at: datetime) -> Contact:
    complaint, csat = flags.get(data.ticket_id, (False, None)) if data.ticket_id else (False, None)
    return Contact(source=data.source, ref=data.ref, agent_id=data.agent_id, team_id=data.team_id,
                   channel=data.channel, ticket_id=data.ticket_id, started_at=data.started_at,
                   month=local_month(data.started_at), is_complaint=complaint, csat=csat, checks=results,
                   check_failed=bool(results["failed"]), checked_at=at)


def _ticket_flags(ticket_ids: set[int]) -> dict[int, tuple[bool, int | None]]:
    complaints = set(Ticket.objects.filter(pk__in=ticket_ids, ticket_type__is_complaint=True)
                     .values_list("pk", flat=True))
    lowest = dict(Response.objects.filter(ticket_id__in=ticket_ids, csat__isnull=False).values("ticket_id")
                  .annotate(low=Min("csat")).values_list("ticket_id", "low"))
    return {t: (t in complaints, lowest.get(t)) for t in ticket_ids}


def _save(batch: list[ContactData], at: datetime) -> int:
    check = checker().check
    flags = _ticket_flags({d.ticket_id for d in batch if d.ticket_id})
    rows = [_row(d, check(d), flags, at) for d in batch if d.agent_id]
    Contact.objects.bulk_create(rows, batch_size=BATCH, update_conflicts=True, unique_fields=["source", "ref"],
                                update_fields=["agent", "team", "channel", "ticket", "started_at", "month",
                                               "is_complaint", "csat", "checks", "check_failed", "checked_at"])
    return len(rows)


def harvest_contacts(*, actor, start: datetime, end: datetime, now: datetime | None = None,
                     progress=None) -> int:
    """Gather (or refresh) every source's contacts that started in [start, end) and run their checks."""
    require_decider(actor)
    at, count = now or timezone.now(), 0
    for source in sources():
        batch: list[ContactData] = []
        for data in source.contacts(start, end):
            batch.append(data)
            if len(batch) == BATCH:
                with transaction.atomic():
                    count += _save(batch, at)
                batch = []
                if progress:
                    progress(count)
        if batch:
            with transaction.atomic():
                count += _save(batch, at)
    return count


def _reasons(contact: Contact, plan: SamplingPlan) -> list[str]:
    reasons = []
    if plan.complaints and contact.is_complaint:
        reasons.append(SampleReason.COMPLAINT)
    if plan.low_surveys and contact.csat is not None and contact.csat <= plan.low_survey_max:
        reasons.append(SampleReason.LOW_SURVEY)
    if plan.check_failures and contact.check_failed:
        reasons.append(SampleReason.AUTO_CHECK)
    return reasons


def _plan_samples(plan: SamplingPlan, month: date, seed: str) -> dict[int, list[str]]:
    """{contact id: reasons} for one team's month: flagged contacts, then N random per agent from the rest."""
    contacts = list(Contact.objects.filter(team_id=plan.team_id, month=month, sample__isnull=True)
                    .only("id", "agent_id", "is_complaint", "csat", "check_failed").order_by("id"))
    picked: dict[int, list[str]] = {}
    by_agent: dict[int, list[Contact]] = {}
    for contact in contacts:
        reasons = _reasons(contact, plan)
        if reasons:
            picked[contact.pk] = reasons
        by_agent.setdefault(contact.agent_id, []).append(contact)
    randomly = _random_counts(plan, month)
    for agent_id, own in by_agent.items():
        rest = [c.pk for c in own if c.pk not in picked]
        wanted = max(0, plan.per_agent - randomly.get(agent_id, 0))
        for pk in random.Random(f"{seed}:{month}:{agent_id}").sample(rest, min(wanted, len(rest))):
            picked[pk] = [SampleReason.RANDOM]
    return picked


def _random_counts(plan: SamplingPlan, month: date) -> dict[int, int]:
    """How many random samples each agent of the team already has this month (sampling twice adds none)."""
    counts: dict[int, int] = {}
    for agent_id, reasons in Sample.objects.filter(contact__team_id=plan.team_id, month=month).values_list(
            "contact__agent_id", "reasons"):
        if SampleReason.RANDOM in reasons:
            counts[agent_id] = counts.get(agent_id, 0) + 1
    return counts


@transaction.atomic
def run_sampling(*, actor, month: date, seed: str = "", now: datetime | None = None) -> int:
    """Pick the month's samples of every active plan; running it again only adds what is missing."""
    require_decider(actor)
    at = now or timezone.now()
    samples = []
    for plan in SamplingPlan.objects.filter(active=True).order_by("team_id"):
        for contact_id, reasons in _plan_samples(plan, month, seed).items():
            samples.append(Sample(contact_id=contact_id, month=month, reasons=reasons, created_at=at))
    Sample.objects.bulk_create(samples, batch_size=BATCH, ignore_conflicts=True)
    QualityEvent.objects.bulk_create([
        QualityEvent(contact_id=s.contact_id, code=QualityEventCode.SAMPLED, params={"reasons": s.reasons},
                     actor=actor if getattr(actor, "pk", None) else None, created_at=at) for s in samples],
        batch_size=BATCH)
    return len(samples)


def sample_month(*, actor, month: date, seed: str = "", now: datetime | None = None) -> dict:
    """Harvest the month's contacts, then sample them: what `kefu quality sample` and the queue page run."""
    start, end = month_bounds(month)
    harvested = harvest_contacts(actor=actor, start=start, end=end, now=now)
    return {"contacts": harvested, "sampled": run_sampling(actor=actor, month=month, seed=seed, now=now)}


@transaction.atomic
def claim_sample(*, actor: User, sample_id: int) -> Sample:
    """Take a sample from the queue; two inspectors claiming at once cannot both get it."""
    require_inspector(actor)
    sample = Sample.objects.visible_to(actor).filter(pk=sample_id).first()
    if sample is None:
        raise NotFound(_("No such sample."), field="sample_id")
    if sample.inspector_id == actor.pk:
        return sample
    # Conditional update: whoever's UPDATE matches the unclaimed row first wins.
    if not Sample.objects.filter(pk=sample.pk, inspector__isnull=True, state=SampleState.PENDING).update(
            inspector=actor):
        raise Conflict(_("Another inspector has taken this contact."), code="claimed", field="sample_id")
    sample.inspector = actor
    return sample
