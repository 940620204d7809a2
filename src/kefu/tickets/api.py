"""Ticket endpoints: thin wrappers that parse, call one service or selector, and shape the answer."""


from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status

from kefu.api.schemas import ERRORS, one_of, user_ref
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import ValidationFailed
from kefu.core.pii import mask_phone, normalize_phone
from kefu.core.spreadsheet import CsvWriter
from kefu.tickets import selectors, services
from kefu.tickets.lifecycle import Channel, Priority
from kefu.tickets.lifecycle import Status as TicketStatus
from kefu.tickets.models import TicketType
from kefu.tickets.schemas import (
    AssignIn,
    ComplaintIn,
    ComplaintOut,
    DecisionIn,
    DispatchIn,
    LinkIn,
    MergeIn,
    MessageIn,
    OverrideCloseIn,
    ParentIn,
    PhoneOut,
    ReferralIn,
    ReferralOut,
    ReopenIn,
    RevealReasonIn,
    TicketCreateIn,
    TicketDetailOut,
    TicketListOut,
    TicketOut,
    TicketTypeOut,
    TicketUpdateIn,
    TransitionIn,
    referral_out,
    ticket_out,
    timeline_entry,
)
from kefu.tickets.services.complaints import closed_loop_missing, type_requirements

router = Router(tags=["tickets"])


class TicketListQuery(Schema):
    status: list[str] | None = None
    open: bool | None = None
    team: int | None = None
    assignee: str | None = None  # a user id, or "me"
    dispatched_team: int | None = None
    type: str | None = None
    priority: int | None = one_of(Priority, None, nullable=True)
    channel: str | None = one_of(Channel, None, nullable=True)
    customer: int | None = None
    phone: str | None = None
    page: int = 1
    page_size: int = 20


def _filters(request: HttpRequest, q: TicketListQuery) -> selectors.TicketFilters:
    assignee = None
    if q.assignee == "me":
        assignee = request.auth.pk
    elif q.assignee:
        if not q.assignee.isdigit():
            raise ValidationFailed(_("Give a user id or 'me'."), code="invalid", field="assignee")
        assignee = int(q.assignee)
    return selectors.TicketFilters(
        status=q.status, is_open=q.open, team_id=q.team, assignee_id=assignee,
        dispatched_team_id=q.dispatched_team, type=q.type, priority=q.priority, channel=q.channel,
        customer_id=q.customer, phone=normalize_phone(q.phone, field="phone") if q.phone else None,
    )


def _detail(request, ticket_id: int) -> dict:
    ticket, events, messages = selectors.ticket_detail(request.auth, ticket_id)
    return {**ticket_out(ticket), "created_by": user_ref(ticket.created_by),
            "timeline": [timeline_entry(e, messages) for e in events]}


@router.get("/types", response={200: list[TicketTypeOut], **ERRORS})
def list_types(request):
    """Active ticket types with their custom fields, lifecycle and what each status requires."""
    return [
        {"id": t.pk, "code": t.code, "name": t.name, "name_en": t.name_en, "is_complaint": t.is_complaint,
         "is_emergency": t.is_emergency, "fields": list(t.fields.all()),
         "transitions": {status: t.allowed_next(status) for status in TicketStatus.values},
         "requires": type_requirements(t)}
        for t in TicketType.objects.filter(active=True).prefetch_related("fields")
    ]


@router.get("", response={200: TicketListOut, **ERRORS})
def list_tickets(request, q: Query[TicketListQuery]):
    """Tickets the caller may see. A `phone` in the query string ends up in proxy and server logs: send it to
    `POST /tickets/search` instead."""
    count, items = selectors.ticket_page(request.auth, _filters(request, q), page=q.page, page_size=q.page_size)
    return {"count": count, "page": q.page, "page_size": q.page_size, "items": [ticket_out(t) for t in items]}


@router.post("/search", response={200: TicketListOut, **ERRORS})
def search_tickets(request, payload: TicketListQuery):
    """The same list with its filters (a phone number among them) in the body, out of every URL log (PIPL)."""
    count, items = selectors.ticket_page(request.auth, _filters(request, payload), page=payload.page,
                                         page_size=payload.page_size)
    return {"count": count, "page": payload.page, "page_size": payload.page_size,
            "items": [ticket_out(t) for t in items]}


@router.get("/export.csv", response={200: None, **ERRORS})
def export_csv(request, q: Query[TicketListQuery]):
    """All tickets matching the filters that the caller may see, as CSV (UTF-8 with BOM for Excel)."""
    qs = selectors.list_queryset(request.auth, _filters(request, q)).select_related(
        "ticket_type", "team", "assignee", "customer")
    record(actor=request.auth, action=AuditAction.EXPORT, target_type="ticket", target_id="*",
           params={"filters": q.dict(exclude_none=True)})

    class Echo:
        def write(self, value):
            return value

    writer = CsvWriter(Echo())

    def rows():
        yield "\ufeff" + writer.writerow(["number", "type", "title", "status", "priority", "channel", "team",
                                          "assignee", "customer", "contact_phone", "created_at"])
        for t in qs.iterator(chunk_size=2000):
            yield writer.writerow([
                t.number, t.ticket_type.code, t.title, t.status, t.priority, t.channel,
                t.team.name if t.team else "", t.assignee.label if t.assignee else "",
                t.customer.name if t.customer else "", mask_phone(t.contact_phone),
                timezone.localtime(t.created_at).isoformat(),
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tickets.csv"'
    return response


@router.post("", response={201: TicketDetailOut, **ERRORS})
def create_ticket(request, payload: TicketCreateIn):
    ticket = services.create_ticket(actor=request.auth, data=services.TicketInput(**payload.dict()))
    return Status(201, _detail(request, ticket.pk))


@router.get("/{int:ticket_id}", response={200: TicketDetailOut, **ERRORS})
def get_ticket(request, ticket_id: int):
    return _detail(request, ticket_id)


@router.patch("/{int:ticket_id}", response={200: TicketOut, **ERRORS})
def update_ticket(request, ticket_id: int, payload: TicketUpdateIn):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    ticket = services.update_ticket(actor=request.auth, ticket_id=ticket_id, version=version, changes=changes)
    return ticket_out(ticket)


@router.post("/{int:ticket_id}/transition", response={200: TicketOut, **ERRORS})
def transition(request, ticket_id: int, payload: TransitionIn):
    return ticket_out(services.transition_ticket(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/reopen", response={200: TicketOut, **ERRORS})
def reopen(request, ticket_id: int, payload: ReopenIn):
    return ticket_out(services.reopen_ticket(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/assign", response={200: TicketOut, **ERRORS})
def assign(request, ticket_id: int, payload: AssignIn):
    return ticket_out(services.assign_ticket(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/dispatch", response={200: TicketOut, **ERRORS})
def dispatch(request, ticket_id: int, payload: DispatchIn):
    return ticket_out(services.dispatch_ticket(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/messages", response={201: TicketDetailOut, **ERRORS})
def add_message(request, ticket_id: int, payload: MessageIn):
    services.add_message(actor=request.auth, ticket_id=ticket_id, **payload.dict())
    return Status(201, _detail(request, ticket_id))


@router.post("/{int:ticket_id}/links", response={201: TicketDetailOut, **ERRORS})
def link(request, ticket_id: int, payload: LinkIn):
    services.link_tickets(actor=request.auth, ticket_id=ticket_id, **payload.dict())
    return Status(201, _detail(request, ticket_id))


@router.post("/{int:ticket_id}/merge", response={200: TicketOut, **ERRORS})
def merge(request, ticket_id: int, payload: MergeIn):
    return ticket_out(services.merge_ticket(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/parent", response={200: TicketOut, **ERRORS})
def parent(request, ticket_id: int, payload: ParentIn):
    return ticket_out(services.set_parent(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/reveal-phone", response={200: PhoneOut, **ERRORS})
def reveal_phone(request, ticket_id: int, payload: RevealReasonIn | None = None):
    """The full contact phone; the reveal and its reason go to the audit log."""
    reason = payload.reason if payload else ""
    return {"phone": services.reveal_contact_phone(actor=request.auth, ticket_id=ticket_id, reason=reason)}


@router.put("/{int:ticket_id}/complaint", response={200: ComplaintOut, **ERRORS})
def record_complaint(request, ticket_id: int, payload: ComplaintIn):
    """Record the closed-loop findings of a complaint (TK7); `missing` lists what still blocks closing."""
    rec = services.record_complaint_findings(actor=request.auth, ticket_id=ticket_id, **payload.dict())
    return {"ticket_id": ticket_id, "responsible_party": rec.responsible_party,
            "responsible_team_id": rec.responsible_team_id, "content": rec.content, "result": rec.result,
            "recorded_at": rec.recorded_at, "missing": closed_loop_missing(rec.ticket)}


@router.post("/{int:ticket_id}/override-close", response={200: TicketOut, **ERRORS})
def override_close(request, ticket_id: int, payload: OverrideCloseIn):
    """A team lead or above closes a resolved complaint without the customer's acceptance, with a reason."""
    return ticket_out(services.override_close(actor=request.auth, ticket_id=ticket_id, **payload.dict()))


@router.post("/{int:ticket_id}/referrals", response={201: ReferralOut, **ERRORS})
def refer(request, ticket_id: int, payload: ReferralIn):
    """Pass an out-of-scope request to a manager (TK8); replies to the customer wait for the decision."""
    return Status(201, referral_out(services.refer_to_manager(actor=request.auth, ticket_id=ticket_id,
                                                              **payload.dict())))


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS})
def list_referrals(request, state: str = "pending"):
    """Referrals addressed to the caller (a manager), oldest first; on tickets the caller may see."""
    qs = selectors.referrals_for(request.auth, state=state)
    return [referral_out(r) for r in qs[:200]]


@router.post("/referrals/{int:referral_id}/decision", response={200: ReferralOut, **ERRORS})
def decide(request, referral_id: int, payload: DecisionIn):
    return referral_out(services.decide_referral(actor=request.auth, referral_id=referral_id, **payload.dict()))
