"""The center's setup as a document (center as code): export it, plan a change, apply it, list its problems."""

from typing import Any

from ninja import Router, Schema
from pydantic import ConfigDict

from kefu.api.schemas import ERRORS
from kefu.provision import services
from kefu.provision.problems import setup_problems

router = Router(tags=["setup"])


class SetupDocument(Schema):
    """The sections of a setup; each lists objects by their natural key (see `GET /setup` for the shape)."""

    model_config = ConfigDict(extra="forbid")

    departments: list[dict[str, Any]] | None = None
    teams: list[dict[str, Any]] | None = None
    calendars: list[dict[str, Any]] | None = None
    ticket_types: list[dict[str, Any]] | None = None
    sla_policies: list[dict[str, Any]] | None = None
    callback_rules: list[dict[str, Any]] | None = None


class PlanOut(Schema):
    applied: bool
    counts: dict[str, dict[str, int]]
    changes: list[dict]


class ProblemOut(Schema):
    code: str
    object: str
    message: str


@router.get("", response={200: SetupDocument, **ERRORS})
def export(request):
    """The whole setup: departments, teams (with members), calendars, ticket types, SLA policies, callback rules."""
    return services.export_setup(actor=request.auth)


@router.post("/plan", response={200: PlanOut, **ERRORS})
def plan(request, document: SetupDocument):
    """What applying the document would create and change; nothing is written."""
    return services.apply_setup(actor=request.auth, document=document.dict(exclude_none=True),
                                dry_run=True).as_dict()


@router.put("", response={200: PlanOut, **ERRORS})
def apply(request, document: SetupDocument):
    """Create or change what the document lists (objects it leaves out stay as they are); all or nothing."""
    return services.apply_setup(actor=request.auth, document=document.dict(exclude_none=True)).as_dict()


@router.get("/problems", response={200: list[ProblemOut], **ERRORS})
def problems(request):
    """What in the setup cannot work as written (an escalation step that reaches nobody …)."""
    services.require_admin(request.auth)
    return setup_problems()
