"""Callback endpoints (回访): the queue, pulling the next call, assigning, recording outcomes, approvals."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from kefu.api.schemas import ERRORS, UserRef, user_ref
from kefu.callbacks import selectors, services
from kefu.callbacks.script import script_for
from kefu.core.errors import NotFound, ValidationFailed

router = Router(tags=["callbacks"])

SCOPES = {"mine": selectors.my_tasks, "pool": selectors.team_pool, "team": selectors.team_open,
          "approvals": selectors.awaiting_approval}


class StepOut(Schema):
    key: str
    title: str
    say: str


class TaskOut(Schema):
    id: int
    ticket_id: int
    ticket_number: str
    case_id: int | None
    attempt: int
    reason: str
    state: str
    due_at: datetime
    not_before: datetime | None
    assignee: UserRef | None
    outcome: str
    note: str
    version: int


class TaskDetailOut(TaskOut):
    script: list[StepOut]


class PullOut(Schema):
    task: TaskOut | None = Field(None, description="The task now yours, or null when nothing waits")


class CallbackAssignIn(Schema):
    version: int
    assignee_id: int


class FollowUpIn(Schema):
    title: str
    description: str = ""
    type: str = "inquiry"


class SurveyIn(Schema):
    questionnaire_id: int
    answers: dict = Field(..., description="question id → answer, as in POST /surveys/responses")


class OutcomeIn(Schema):
    version: int
    outcome: str = Field(..., description="accepted, not_accepted, new_need, unreachable or not_convenient")
    note: str = ""
    answer: str = Field("", description="new_need answered on the phone")
    follow_up: FollowUpIn | None = Field(None, description="new_need that becomes a follow-up case (跟进个案)")
    call_at: datetime | None = Field(None, description="not_convenient: when the customer wants the call")
    survey: SurveyIn | None = Field(None, description="the satisfaction survey taken on this call (reached only)")


class ApprovalIn(Schema):
    version: int
    approve: bool
    reason: str = ""


def task_out(task) -> dict:
    return {"id": task.pk, "ticket_id": task.ticket_id, "ticket_number": task.ticket.number, "case_id": task.case_id,
            "attempt": task.attempt, "reason": task.reason, "state": task.state, "due_at": task.due_at,
            "not_before": task.not_before, "assignee": user_ref(task.assignee), "outcome": task.outcome,
            "note": task.note, "version": task.version}


def _detail(request, task_id: int) -> dict:
    task = selectors.task_for(request.auth, task_id)
    if task is None:
        raise NotFound(_("No such callback task."), field="task")
    return {**task_out(task), "script": [s.__dict__ for s in script_for(task.ticket, request.auth)]}


@router.get("", response={200: list[TaskOut], **ERRORS})
def list_tasks(request, scope: str = "mine"):
    """mine: the caller's open callbacks; pool: unassigned ones of the team; team: all open ones of the team;
    approvals: unreachable cases waiting for a team lead."""
    if scope not in SCOPES:
        raise ValidationFailed(_("Unknown list."), code="invalid_choice", field="scope")
    return [task_out(t) for t in SCOPES[scope](request.auth)[:selectors.LIST_LIMIT]]


@router.post("/pull", response={200: PullOut, **ERRORS})
def pull(request):
    """Take the most urgent callback of the caller's team that nobody has; two callers never get the same one."""
    task = services.pull_next(actor=request.auth)
    return {"task": task_out(task) if task else None}


@router.get("/{int:task_id}", response={200: TaskDetailOut, **ERRORS})
def get_task(request, task_id: int):
    return _detail(request, task_id)


@router.post("/{int:task_id}/assign", response={200: TaskOut, **ERRORS})
def assign(request, task_id: int, payload: CallbackAssignIn):
    return task_out(services.assign_task(actor=request.auth, task_id=task_id, **payload.dict()))


@router.post("/{int:task_id}/outcome", response={200: TaskOut, **ERRORS})
def outcome(request, task_id: int, payload: OutcomeIn):
    data = payload.dict()
    version = data.pop("version")
    follow_up, survey = data.pop("follow_up"), data.pop("survey")
    data["follow_up"] = services.FollowUpCase(**follow_up) if follow_up else None
    data["survey"] = services.SurveyAnswers(**survey) if survey else None
    task = services.record_outcome(actor=request.auth, task_id=task_id, version=version,
                                   data=services.OutcomeInput(**data))
    return task_out(task)


@router.post("/{int:task_id}/approval", response={200: TaskOut, **ERRORS})
def approval(request, task_id: int, payload: ApprovalIn):
    """A team lead closes an unreachable case (approve=true, with a reason) or orders one more attempt."""
    return task_out(services.decide_unreachable(actor=request.auth, task_id=task_id, **payload.dict()))
