"""Read queries of quality inspection, each starting from `visible_to(user)`."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import NotFound
from kefu.quality.access import require_inspector
from kefu.quality.contacts import ContactData, source
from kefu.quality.models import Appeal, AppealState, Calibration, Contact, Evaluation, Sample, SampleState

AGREEMENT_POINTS = 3  # an inspector agrees when within this many points of the reference (or of the mean)
PAGE = 100


def queue(user, *, month: date | None = None, limit: int = PAGE) -> list[Sample]:
    """The inspector's queue: pending samples they may score (never their own), theirs first, oldest first."""
    qs = Sample.objects.visible_to(user).filter(state=SampleState.PENDING)
    qs = qs.filter(Q(inspector__isnull=True) | Q(inspector_id=user.pk))
    if month:
        qs = qs.filter(month=month)
    return list(qs.select_related("contact__agent", "contact__team", "inspector")
                .order_by("-inspector_id", "created_at", "id")[:limit])


def contact_detail(user, contact_id: int) -> tuple[Contact, ContactData | None]:
    """A contact the user may see and its full record from its source (transcript, link, recording)."""
    contact = Contact.objects.visible_to(user).select_related("agent", "team").filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("No such contact."), field="contact_id")
    src = source(contact.source)
    return contact, src.load(contact.ref) if src else None


def evaluation_of(user, contact: Contact) -> Evaluation | None:
    return (Evaluation.objects.visible_to(user).select_related("card", "inspector", "agent")
            .prefetch_related("comments", "appeals").filter(contact=contact).first())


def evaluations(user, *, agent_id: int | None = None, month: date | None = None, limit: int = PAGE):
    """Evaluations the user may read, newest first."""
    qs = Evaluation.objects.visible_to(user).select_related("contact", "agent", "inspector", "card")
    if agent_id:
        qs = qs.filter(agent_id=agent_id)
    if month:
        qs = qs.filter(month=month)
    return list(qs.order_by("-scored_at", "-id")[:limit])


def open_appeals(user, *, limit: int = PAGE) -> list[Appeal]:
    """Appeals waiting for a decision (for supervisors; everyone else sees only their own)."""
    visible = Evaluation.objects.visible_to(user)
    return list(Appeal.objects.filter(state=AppealState.OPEN, evaluation__in=visible)
                .select_related("evaluation__agent", "evaluation__inspector", "evaluation__contact")
                .order_by("filed_at", "id")[:limit])


def check_trend(user, *, months: int = 6, agent_id: int | None = None) -> list[dict]:
    """Per agent and month: contacts checked and how many failed an automatic check."""
    qs = Contact.objects.visible_to(user).filter(checked_at__isnull=False)
    if agent_id:
        qs = qs.filter(agent_id=agent_id)
    rows = (qs.values("agent_id", "agent__display_name", "agent__username", "month")
            .annotate(total=Count("id"), failed=Count("id", filter=Q(check_failed=True)))
            .order_by("agent__username", "-month"))
    out, per_agent = [], {}
    for row in rows:
        per_agent[row["agent_id"]] = per_agent.get(row["agent_id"], 0) + 1
        if per_agent[row["agent_id"]] <= months:
            out.append({"agent": row["agent__display_name"] or row["agent__username"], "agent_id": row["agent_id"],
                        "month": row["month"], "total": row["total"], "failed": row["failed"]})
    return out


def calibration_summary(session: Calibration) -> dict:
    """Per contact: every inspector's score, the spread (max − min), the mean, the reference and agreement."""
    by_contact: dict[int, list] = {}
    for score in session.scores.select_related("inspector").order_by("score", "id"):
        by_contact.setdefault(score.contact_id, []).append(score)
    rows = []
    for contact in session.contacts.select_related("agent").order_by("pk"):
        scores = by_contact.get(contact.pk, [])
        values = [s.score for s in scores]
        mean = round(sum(values) / len(values), 1) if values else None
        reference = session.references.get(str(contact.pk))
        target = reference if reference is not None else mean
        agree = [v for v in values if target is not None and abs(v - target) <= AGREEMENT_POINTS]
        rows.append({"contact": contact, "scores": values, "by": scores, "mean": mean,
                     "spread": (max(values) - min(values)) if values else None, "reference": reference,
                     "agreement": len(agree) / len(values) if values else None})
    return {"session": session, "contacts": rows}


def calibrations(user, *, limit: int = 30) -> list[Calibration]:
    return list(Calibration.objects.order_by("-created_at", "-id")[:limit])


def calibration_list(user, *, limit: int = 100) -> list[Calibration]:
    """Sessions with their number of contacts, for the API (inspectors only)."""
    require_inspector(user)
    return list(Calibration.objects.annotate(contact_count=Count("contacts")).order_by("-created_at", "-id")[:limit])


def calibration_for(user, calibration_id: int) -> Calibration:
    """One session an inspector may read; 404 `not_found` naming the id otherwise."""
    require_inspector(user)
    session = Calibration.objects.filter(pk=calibration_id).first()
    if session is None:
        raise NotFound(_("No such calibration session."), field="calibration_id")
    return session
