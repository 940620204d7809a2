"""Loads the demo center into an empty database; every change goes through the services, in time order."""

import gc
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kefu.accounts.models import Department, User
from kefu.core.errors import ServiceError
from kefu.customers.models import Customer
from kefu.demo.cases import Case, CaseMaker, draw_cases
from kefu.demo.center import DEPARTMENTS, build_center
from kefu.demo.customers import build_customers
from kefu.demo.flow import Flow, Step
from kefu.demo.people import People
from kefu.demo.schedule import schedule
from kefu.tickets.defaults import DEFAULT_TYPES
from kefu.tickets.models import EventCode, FollowUp, Ticket, TicketEvent, TicketLink, TicketMessage, TicketType
from kefu.tickets.services import (
    TicketInput,
    add_message,
    assign_ticket,
    complete_follow_up,
    create_ticket,
    dispatch_ticket,
    link_tickets,
    merge_ticket,
    reopen_ticket,
    set_parent,
    transition_ticket,
)

PROGRESS_EVERY = 250


class DemoError(Exception):
    """The demo cannot be loaded (the database is not empty) or a planned step was refused."""


@dataclass
class Result:
    """What was loaded, for the summary the command prints."""

    users: int = 0
    customers: int = 0
    tickets: int = 0
    events: int = 0
    messages: int = 0
    links: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    by_priority: Counter = field(default_factory=Counter)
    merged: int = 0
    children: int = 0
    dispatched: int = 0
    reopened: int = 0
    seconds: float = 0.0
    logins: list = field(default_factory=list)


def refuse_unless_empty() -> None:
    """The demo only goes into a database without tickets and without the demo's own users and departments."""
    count = Ticket.objects.count()
    if count:
        raise DemoError(f"the database already has {count} tickets; the demo loads only into an empty one")
    taken = list(User.objects.filter(username__in=["admin", "agent01", "supervisor"])
                 .values_list("username", flat=True))
    taken += list(Department.objects.filter(name__in=[d[0] for d in DEPARTMENTS]).values_list("name", flat=True))
    if taken:
        raise DemoError(f"the database already has demo users or departments ({', '.join(taken)}); "
                        "load the demo into a fresh database")


def load(*, customers: int = 400, tickets: int = 3000, seed: int = 2026,
         progress: Callable[[str], None] | None = None) -> Result:
    """Build the center, its customers and `tickets` tickets with 90 days of history; all or nothing."""
    started = time.monotonic()
    say = progress or (lambda _message: None)
    with transaction.atomic():
        refuse_unless_empty()
        types = {t.code: t for t in TicketType.objects.filter(active=True).prefetch_related("fields")}
        missing = sorted({spec["code"] for spec in DEFAULT_TYPES} - set(types))
        if missing:
            raise DemoError(f"ticket types missing: {', '.join(missing)} (run `kefu migrate` first)")
        # Two streams: content (people, customers, what tickets say) never depends on the clock, so a
        # seed always gives the same tickets; the flow stream decides times and follows `now`.
        content = random.Random(f"kefu-demo:{seed}:content")
        people = People(content)
        center = build_center(content, people)
        say(f"center: {len(DEPARTMENTS)} departments, {User.objects.count()} users")
        demo_customers = build_customers(content, people, center, customers)
        say(f"customers {len(demo_customers)}/{customers}")
        cases = draw_cases(CaseMaker(content, people, center, demo_customers, types), tickets)
        now = timezone.now().replace(second=0, microsecond=0)
        schedule(Flow(random.Random(f"kefu-demo:{seed}:flow"), center, types, now), cases)
        from kefu.demo.surveys import build_questionnaire

        replay = Replay(cases, say, survey=build_questionnaire(now - timedelta(days=120)),
                        rng=random.Random(f"kefu-demo:{seed}:survey"))
        # The plan is tens of thousands of long-lived objects; freezing them keeps the garbage collector's
        # full collections, triggered again and again by the ORM's allocations, from rescanning them.
        gc.collect()
        gc.freeze()
        try:
            replay.run()
        finally:
            gc.unfreeze()
        replay.verify()
        from kefu.knowledge.demo import load_demo as load_knowledge  # articles, phrases, memos, briefing

        say("knowledge: " + ", ".join(f"{k} {v}" for k, v in load_knowledge(center, now=now).items()))
        from kefu.quality.demo import load_demo as load_quality  # sampling plans, this month's sample, scores

        say("quality: " + ", ".join(f"{k} {v}" for k, v in load_quality(now=now).items()))
        result = summarise(replay)
        result.logins = center.logins
    result.seconds = time.monotonic() - started
    return result


class Replay:
    """Runs every planned step through its service, in time order across all tickets."""

    def __init__(self, cases: list[Case], say: Callable[[str], None], *, survey=None, rng=None):
        """Keys of the plan map to ticket ids and the last version read, filled in as tickets are created."""
        self.cases = {c.key: c for c in cases}
        self.say = say
        self.survey, self.rng = survey, rng or random.Random(0)
        self.pk: dict[int, int] = {}
        self.version: dict[int, int] = {}
        self.created = 0

    def run(self) -> None:
        """Every step of every case, oldest first; a refused step stops the load with what and why."""
        steps = sorted(((step.at, case.key, n, step) for case in self.cases.values()
                        for n, step in enumerate(case.steps)), key=lambda item: item[:3])
        for _at, key, _n, step in steps:
            case = self.cases[key]
            try:
                getattr(self, f"do_{step.kind}")(case, step)
            except ServiceError as exc:
                raise DemoError(f"{step.kind} on ticket {self.pk.get(key)} ({case.scenario.code}, planned "
                                f"{case.target}) at {step.at:%Y-%m-%d %H:%M} was refused: {exc.code} "
                                f"{exc.message} {exc.params or ''}") from exc

    def text(self, case: Case, template: str) -> str:
        """A template filled with the late values too: ticket number, appointment window, original ticket."""
        return template.format_map(case.ctx)

    def read_version(self, key: int) -> None:
        """Re-read the version of a ticket that a service changed on the side (a parent, a merge target)."""
        self.version[key] = Ticket.objects.filter(pk=self.pk[key]).values_list("version", flat=True).get()

    def do_create(self, case: Case, step: Step) -> None:
        """Open the ticket; a child is filed under its parent, whose version moves too."""
        origin = case.origin
        case.ctx["original"] = f"GD{self.pk[origin]:08d}" if origin is not None else ""
        data = {name: self.text(case, value) if isinstance(value, str) else value for name, value in case.input.items()}
        data["custom"] = {k: self.text(case, v) if isinstance(v, str) else v for k, v in case.custom.items()}
        data["custom"] = {k: v for k, v in data["custom"].items() if v != ""}
        parent = step.params.get("parent")
        assignee = step.params.get("assignee")
        ticket = create_ticket(actor=step.actor, now=step.at, data=TicketInput(
            **data, assignee_id=assignee.pk if assignee else None,
            parent_id=self.pk[parent] if parent is not None else None))
        self.pk[case.key], self.version[case.key] = ticket.pk, ticket.version
        case.ctx["ticket"] = ticket.number
        if parent is not None:
            self.read_version(parent)
        self.created += 1
        if self.created % PROGRESS_EVERY == 0 or self.created == len(self.cases):
            self.say(f"tickets {self.created}/{len(self.cases)}")

    def do_assign(self, case: Case, step: Step) -> None:
        """A lead routes the ticket to an agent or the complaint handler."""
        ticket = assign_ticket(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                               team_id=None, assignee_id=step.params["assignee"].pk, now=step.at)
        self.version[case.key] = ticket.version

    def do_move(self, case: Case, step: Step) -> None:
        """One transition along the type's lifecycle; closing a ticket that waits for its callback makes the call."""
        if step.params["to"] == "closed" and self.close_by_callback(case, step):
            return
        ticket = transition_ticket(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                                   to=step.params["to"], reason=step.params.get("reason", ""), now=step.at)
        self.version[case.key] = ticket.version

    def close_by_callback(self, case: Case, step: Step) -> bool:
        """The real way a called-back ticket closes: the callback is made and the customer accepts (CB2);
        a complaint first gets its findings (TK7). False when the ticket has no callback waiting."""
        from kefu.callbacks.models import CallbackTask
        from kefu.callbacks.services import OutcomeInput, SurveyAnswers, assign_task, record_outcome
        from kefu.demo.surveys import answers as survey_answers
        from kefu.tickets.services import record_complaint_findings

        pk = self.pk[case.key]
        task = CallbackTask.objects.filter(ticket_id=pk, state=CallbackTask.State.OPEN).first()
        if task is None:
            return False
        ticket = Ticket.objects.select_related("ticket_type").get(pk=pk)
        if ticket.ticket_type.is_complaint:
            record_complaint_findings(actor=step.actor, ticket_id=pk, version=self.version[case.key], now=step.at,
                                      responsible_party=ticket.team.name if ticket.team_id else "客服部",
                                      content=ticket.title, result="已向客户说明处理结果并致歉，责任人已整改")
        if task.assignee_id != step.actor.pk:
            task = assign_task(actor=None, task_id=task.pk, version=task.version, assignee_id=step.actor.pk,
                               now=step.at)
        given = survey_answers(self.survey, self.rng) if self.survey else None
        record_outcome(actor=step.actor, task_id=task.pk, version=task.version, now=step.at,
                       data=OutcomeInput(outcome="accepted", note="客户表示认可", survey=SurveyAnswers(
                           questionnaire_id=self.survey.pk, answers=given) if given else None))
        self.read_version(case.key)
        return True

    def do_message(self, case: Case, step: Step) -> None:
        """A reply, internal note or customer message; its ticket's version moves."""
        message = add_message(actor=step.actor, ticket_id=self.pk[case.key], kind=step.params["kind"],
                              body=self.text(case, step.params["body"]), version=self.version[case.key],
                              now=step.at)
        self.version[case.key] = message.ticket.version

    def do_dispatch(self, case: Case, step: Step) -> None:
        """派单 to a crew or back-office team, with the appointment window if any."""
        start, end = step.params.get("window") or (None, None)
        ticket = dispatch_ticket(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                                 team_id=step.params["team"].pk, appointment_start=start, appointment_end=end,
                                 note=step.params["note"], now=step.at)
        self.version[case.key] = ticket.version

    def do_reopen(self, case: Case, step: Step) -> None:
        """Reopen a done ticket with the reason the customer gave."""
        ticket = reopen_ticket(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                               reason=step.params["reason"], now=step.at)
        self.version[case.key] = ticket.version

    def do_link(self, case: Case, step: Step) -> None:
        """Link two tickets; both versions move."""
        other = step.params["other"]
        link = link_tickets(actor=step.actor, ticket_id=self.pk[case.key], other_id=self.pk[other],
                            kind=step.params["kind"], now=step.at)
        self.version[case.key], self.version[other] = link.source.version, link.target.version

    def do_merge(self, case: Case, step: Step) -> None:
        """Merge a duplicate into the surviving ticket, whose version moves too."""
        other = step.params["other"]
        ticket = merge_ticket(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                              into_id=self.pk[other], now=step.at)
        self.version[case.key] = ticket.version
        self.read_version(other)

    def do_parent(self, case: Case, step: Step) -> None:
        """Put a ticket under an outage parent, whose version moves too."""
        other = step.params["other"]
        ticket = set_parent(actor=step.actor, ticket_id=self.pk[case.key], version=self.version[case.key],
                            parent_id=self.pk[other], now=step.at)
        self.version[case.key] = ticket.version
        self.read_version(other)

    def do_follow_up(self, case: Case, step: Step) -> None:
        """Tick off the confirm-receipt task the SLA app opened for this agent's reply (CH3), if it opened one."""
        task = (FollowUp.objects.filter(ticket_id=self.pk[case.key], assignee=step.actor, done_at__isnull=True)
                .order_by("due_at", "id").first())
        if task is not None:
            complete_follow_up(actor=step.actor, task_id=task.pk, result=step.params["result"], now=step.at)

    def verify(self) -> None:
        """Every ticket ended where its plan said; a difference is a bug in the planner, so nothing is kept."""
        actual = dict(Ticket.objects.filter(pk__in=self.pk.values()).values_list("pk", "status"))
        wrong = [(f"GD{self.pk[k]:08d}", c.scenario.code, c.target, actual[self.pk[k]])
                 for k, c in self.cases.items() if actual[self.pk[k]] != c.target]
        if wrong:
            raise DemoError(f"{len(wrong)} tickets did not reach their planned status, e.g. {wrong[:5]}")


def summarise(replay: Replay) -> Result:
    """Counts straight from the database, so the summary shows what is there, not what was meant."""
    tickets = Ticket.objects.filter(pk__in=replay.pk.values())
    result = Result(users=User.objects.count(), customers=Customer.objects.count(), tickets=tickets.count(),
                    events=TicketEvent.objects.filter(ticket__in=tickets).count(),
                    messages=TicketMessage.objects.filter(ticket__in=tickets).count(),
                    links=TicketLink.objects.count())
    rows = list(tickets.values_list("ticket_type__code", "status", "channel", "priority", "merged_into_id",
                                    "parent_id", "dispatched_team_id"))
    result.by_type = Counter(r[0] for r in rows)
    result.by_status = Counter(r[1] for r in rows)
    result.by_channel = Counter(r[2] for r in rows)
    result.by_priority = Counter(r[3] for r in rows)
    result.merged = sum(1 for r in rows if r[4])
    result.children = sum(1 for r in rows if r[5])
    result.dispatched = sum(1 for r in rows if r[6])
    result.reopened = (TicketEvent.objects.filter(ticket__in=tickets, code=EventCode.REOPENED)
                       .values("ticket").distinct().count())
    return result
