"""Campaign endpoints (外呼): set up, fill the call list, hand out or pull calls, record results, progress."""

from datetime import date, datetime

from ninja import Router, Schema, Status

from kefu.api.patch import merged, patch_schema
from kefu.api.schemas import ERRORS, one_of
from kefu.campaigns import calllist, selectors, services
from kefu.campaigns.models import CallStatus, CampaignStatus, Outcome, Purpose
from kefu.campaigns.services import RESULTS, CallResult, CampaignInput
from kefu.customers.models import Customer

router = Router(tags=["campaigns"])


class CampaignIn(Schema):
    name: str
    purpose: str = one_of(Purpose)
    script: str = ""
    questionnaire_id: int | None = None
    max_attempts: int = 3
    retry_minutes: int = 120
    pull_allowed: bool = True


CampaignPatch = patch_schema(CampaignIn, "CampaignPatch")


class CampaignStatusIn(Schema):
    version: int
    status: str = one_of(CampaignStatus)


class CampaignOut(Schema):
    id: int
    name: str
    purpose: str = one_of(Purpose)
    script: str
    questionnaire_id: int | None
    max_attempts: int
    retry_minutes: int
    pull_allowed: bool
    status: str = one_of(CampaignStatus)
    version: int
    created_at: datetime


class CallIn(Schema):
    name: str
    phone: str
    reference: str = ""
    note: str = ""


class ImportIn(Schema):
    calls: list[CallIn]


class CampaignCountOut(Schema):
    count: int


class CustomerFilterIn(Schema):
    created_from: date | None = None
    created_until: date | None = None
    tier: str = one_of(["", *Customer.Tier.values], "")
    status: str = one_of(["", *Customer.Status.values], "active")


class AddedOut(Schema):
    added: int
    no_phone: int
    already: int


class DistributeIn(Schema):
    agent_ids: list[int]


class CampaignCallOut(Schema):
    id: int
    campaign_id: int
    name: str
    phone: str
    customer_id: int | None
    reference: str
    note: str
    agent_id: int | None
    status: str = one_of(CallStatus)
    attempts: int
    due_at: datetime | None
    outcome: str = one_of(["", *Outcome.values])
    result_note: str
    response_id: int | None
    ticket_id: int | None
    version: int


class CallDetailOut(CampaignCallOut):
    script: str


class ResultIn(Schema):
    version: int
    result: str = one_of(RESULTS)
    outcome: str = one_of(["", *Outcome.values], "")
    note: str = ""
    answers: dict | None = None


class TicketIn(Schema):
    type: str
    title: str
    description: str = ""
    custom: dict = {}


class TicketRefOut(Schema):
    id: int
    number: str


class CallRevealIn(Schema):
    reason: str = ""


class CallRevealOut(Schema):
    phone: str


class AgentProgressOut(Schema):
    agent_id: int
    agent: str
    total: int
    done: int
    pending: int
    reached: int
    unreachable: int
    wrong: int


class OutcomeOut(Schema):
    outcome: str
    label: str
    count: int


class ProgressOut(Schema):
    total: int
    finished: int
    percent: float
    unassigned: int
    status: dict[str, int]
    outcomes: list[OutcomeOut]
    agents: list[AgentProgressOut]


def _input(payload: CampaignIn) -> CampaignInput:
    return CampaignInput(**payload.dict(exclude={"version"}))


@router.get("", response={200: list[CampaignOut], **ERRORS})
def list_campaigns(request, status: str | None = None):
    """Every campaign for supervisors; for agents those with calls of theirs or free calls to pull."""
    return [selectors.campaign_out(c) for c in selectors.campaigns_for(request.auth, status=status)]


@router.post("", response={201: CampaignOut, **ERRORS})
def create_campaign(request, payload: CampaignIn):
    return Status(201, selectors.campaign_out(services.create_campaign(actor=request.auth, data=_input(payload))))


@router.get("/{int:campaign_id}", response={200: CampaignOut, **ERRORS})
def get_campaign(request, campaign_id: int):
    return selectors.campaign_out(services.load_campaign(request.auth, campaign_id))


@router.patch("/{int:campaign_id}", response={200: CampaignOut, **ERRORS})
def update_campaign(request, campaign_id: int, payload: CampaignPatch):
    """Change the settings sent; the others keep their values."""
    current = services.load_campaign(request.auth, campaign_id)
    data = merged({name: getattr(current, name) for name in CampaignIn.model_fields}, payload)
    campaign = services.update_campaign(actor=request.auth, campaign_id=campaign_id, version=payload.version,
                                        data=CampaignInput(**data))
    return selectors.campaign_out(campaign)


@router.post("/{int:campaign_id}/status", response={200: CampaignOut, **ERRORS})
def set_status(request, campaign_id: int, payload: CampaignStatusIn):
    """Close a campaign (open or closed)."""
    campaign = services.set_campaign_status(actor=request.auth, campaign_id=campaign_id, version=payload.version,
                                            status=payload.status)
    return selectors.campaign_out(campaign)


@router.get("/{int:campaign_id}/progress", response={200: ProgressOut, **ERRORS})
def campaign_progress(request, campaign_id: int):
    """Calls by status and outcome, and per agent."""
    services.require_manager(request.auth)
    return selectors.progress(services.load_campaign(request.auth, campaign_id))


@router.get("/{int:campaign_id}/calls", response={200: list[CampaignCallOut], **ERRORS})
def list_calls(request, campaign_id: int, status: str = "", page: int = 1):
    """One page (50) of the campaign's calls, phones masked."""
    services.require_manager(request.auth)
    _total, calls = selectors.campaign_calls(services.load_campaign(request.auth, campaign_id), status=status,
                                             page=page)
    return [selectors.call_out(c) for c in calls]


@router.post("/{int:campaign_id}/calls", response={201: CampaignCountOut, **ERRORS})
def import_calls(request, campaign_id: int, payload: ImportIn):
    """Add people to call; every row is checked first and one bad row adds nothing (errors by row number)."""
    rows = [calllist.CallInput(**c.dict()) for c in payload.calls]
    return Status(201, {"count": calllist.import_calls(actor=request.auth, campaign_id=campaign_id, rows=rows,
                                                       first_line=1)})


@router.post("/{int:campaign_id}/calls/from-customers", response={201: AddedOut, **ERRORS})
def add_customers(request, campaign_id: int, payload: CustomerFilterIn):
    """Add the archive's customers matching the filters (e.g. created in the last month) who have a phone."""
    result = calllist.add_customers(actor=request.auth, campaign_id=campaign_id,
                                    filters=calllist.CustomerFilter(**payload.dict()))
    return Status(201, result)


@router.post("/{int:campaign_id}/distribute", response={200: dict[str, int], **ERRORS})
def distribute(request, campaign_id: int, payload: DistributeIn):
    """Hand the free calls out evenly; answers {agent id: calls given}."""
    given = services.distribute_calls(actor=request.auth, campaign_id=campaign_id, agent_ids=payload.agent_ids)
    return {str(k): v for k, v in given.items()}


@router.post("/{int:campaign_id}/pull", response={200: CallDetailOut, 204: None, **ERRORS})
def pull(request, campaign_id: int):
    """Take the next free call that is due; 204 when there is none."""
    call = services.pull_next_call(actor=request.auth, campaign_id=campaign_id)
    if call is None:
        return Status(204, None)
    return {**selectors.call_out(call), "script": selectors.script_for(call, request.auth)}


@router.get("/calls/mine", response={200: list[CampaignCallOut], **ERRORS})
def my_calls(request):
    """The caller's calls still to make, due ones first."""
    return [selectors.call_out(c) for c in selectors.my_calls(request.auth)]


@router.get("/calls/{int:call_id}", response={200: CallDetailOut, **ERRORS})
def get_call(request, call_id: int):
    """One call with the script filled in for the caller."""
    call = services.load_call(request.auth, call_id)
    return {**selectors.call_out(call), "script": selectors.script_for(call, request.auth)}


@router.post("/calls/{int:call_id}/result", response={200: CampaignCallOut, **ERRORS})
def record_result(request, call_id: int, payload: ResultIn):
    """reached (with an outcome and optional survey answers), not_reached (retried later) or wrong_number."""
    call = services.record_call_result(actor=request.auth, call_id=call_id, version=payload.version,
                                       data=CallResult(**payload.dict(exclude={"version"})))
    return selectors.call_out(call)


@router.post("/calls/{int:call_id}/reveal", response={200: CallRevealOut, **ERRORS})
def reveal(request, call_id: int, payload: CallRevealIn):
    """The full number to dial; the reveal is audited."""
    return {"phone": services.reveal_call_phone(actor=request.auth, call_id=call_id, reason=payload.reason)}


@router.post("/calls/{int:call_id}/ticket", response={201: TicketRefOut, **ERRORS})
def open_ticket(request, call_id: int, payload: TicketIn):
    """Open a ticket for what came up on the call, with its number and customer; assigned to the caller."""
    ticket = services.open_ticket_from_call(actor=request.auth, call_id=call_id, ticket_type=payload.type,
                                            title=payload.title, description=payload.description,
                                            custom=payload.custom)
    return Status(201, {"id": ticket.pk, "number": ticket.number})
