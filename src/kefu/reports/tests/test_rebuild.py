"""The facts are derived data: a rebuild from ticket events gives exactly what the listener wrote."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from kefu.callbacks.events import CallbackEventCode
from kefu.reports.models import CallbackAttempt, CallbackCase, CaseState, SurveyAnswer
from kefu.reports.services import rebuild_facts
from kefu.reports.tests.conftest import at
from kefu.surveys.events import SurveyEventCode
from kefu.tickets.events import emit


def snapshot() -> dict:
    """Every fact, keyed by its natural key (ticket and task or response), without the surrogate ids."""
    def rows(model, key, drop):
        return {(o.ticket_id, getattr(o, key)): {k: v for k, v in model_to_dict(o).items() if k not in drop}
                for o in model.objects.all()}

    cases = {c.pk: c.first_task for c in CallbackCase.objects.all()}
    attempts = rows(CallbackAttempt, "task", {"id"})
    for row in attempts.values():
        row["case"] = cases.get(row["case"])
    return {"cases": rows(CallbackCase, "first_task", {"id"}), "attempts": attempts,
            "answers": rows(SurveyAnswer, "response", {"id"})}


def test_the_listener_writes_facts_with_the_event(world, scenario):
    case = CallbackCase.objects.get(first_task=201)
    assert (case.state, case.agent_id, case.attempts.count()) == (CaseState.REACHED, world.handler.pk, 3)
    assert CallbackCase.objects.get(first_task=301).state == CaseState.CLOSED_UNREACHABLE
    assert CallbackCase.objects.get(first_task=401).state == CaseState.OPEN
    assert SurveyAnswer.objects.count() == 4


def test_rebuild_gives_exactly_what_the_listener_wrote(world, scenario):
    built = snapshot()
    assert len(built["attempts"]) == 8
    CallbackCase.objects.all().delete()
    SurveyAnswer.objects.all().delete()
    result = rebuild_facts(batch=2)
    assert (result.tickets, result.events, result.cases, result.attempts, result.answers) == (5, 25, 5, 8, 4)
    assert snapshot() == built
    rebuild_facts(batch=100)  # idempotent
    assert snapshot() == built


def test_rebuild_repairs_wrong_facts_and_drops_orphans(world, scenario):
    built = snapshot()
    CallbackCase.objects.filter(first_task=201).update(state=CaseState.OPEN, agent_id=None)
    SurveyAnswer.objects.filter(response=1).update(csat=1)
    stray = world.ticket(now=at(4, 1))
    SurveyAnswer.objects.create(response=99, ticket=stray, answered_at=at(4, 1), month=at(4, 1).date())
    rebuild_facts()
    assert snapshot() == built


def test_rebuild_since_recomputes_only_tickets_with_later_events_but_all_their_events(world, scenario):
    CallbackCase.objects.filter(first_task__in=[101, 201]).update(state=CaseState.OPEN)
    # t2 has events after 1 April (its case started in March): recomputed whole; t1 has none: left alone.
    rebuild_facts(since=at(4, 1).date())
    assert CallbackCase.objects.get(first_task=201).state == CaseState.REACHED
    assert CallbackCase.objects.get(first_task=101).state == CaseState.OPEN


def test_malformed_params_are_skipped_and_do_not_break_the_change(world):
    ticket = world.ticket()
    emit(ticket, CallbackEventCode.CALLBACK_SCHEDULED, actor=None, at=at(3, 1), params={"task": "x"})
    emit(ticket, CallbackEventCode.CALLBACK_OUTCOME, actor=None, at=at(3, 1), params={"task": 7, "outcome": "maybe"})
    emit(ticket, SurveyEventCode.SURVEY_ANSWERED, actor=None, at=at(3, 1),
         params={"response": 5, "csat": 9, "nps": -1, "agent": True})
    assert CallbackCase.objects.count() == CallbackAttempt.objects.count() == 0
    answer = SurveyAnswer.objects.get()
    assert (answer.csat, answer.nps, answer.agent_id) == (None, None, None)


def test_an_outcome_without_an_assignment_belongs_to_the_param_agent_then_the_actor(world):
    ticket = world.ticket()
    emit(ticket, CallbackEventCode.CALLBACK_SCHEDULED, actor=None, at=at(3, 1),
         params={"task": 1, "due": at(3, 2).isoformat(), "attempt": 1, "reason": "resolved"})
    emit(ticket, CallbackEventCode.CALLBACK_OUTCOME, actor=world.agent_b, at=at(3, 1, 12),
         params={"task": 1, "outcome": "accepted", "attempt": 1, "on_time": True, "agent": None})
    assert CallbackCase.objects.get().agent_id == world.agent_b.pk


def test_the_command_prints_a_summary_and_refuses_a_bad_date(world, scenario):
    out, err = StringIO(), StringIO()
    call_command("reports", "rebuild", "--batch", "2", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["events"] == 25
    assert "tickets 5/5" in err.getvalue()
    with pytest.raises(CommandError, match="since"):
        call_command("reports", "rebuild", "--since", "April")


def test_rebuild_equals_the_listener_on_an_untidy_random_history(world):
    """Reassignments after the end, outcomes of unknown tasks, repeated answers, second resolutions: a seeded
    random mix over a few tickets, replayed by the rebuild's in-memory store, gives the listener's rows."""
    import random

    from kefu.reports.tests.conftest import Callbacks

    rng, cb = random.Random(6), Callbacks(world)
    tickets = [world.ticket(now=at(1, 1)) for _ in range(4)]
    agents = [world.agent, world.agent_b, world.handler]
    outcomes = ["accepted", "not_accepted", "new_need", "unreachable", "not_convenient", "closed_unreachable",
                "cancelled"]
    for step in range(120):
        ticket, task, when = rng.choice(tickets), rng.randint(1, 25), at(1 + step // 40, 1 + step % 28)
        kind = rng.choice(["schedule", "resolved", "assign", "outcome", "outcome", "answer"])
        if kind in ("schedule", "resolved"):
            cb.schedule(ticket, task, when, attempt=rng.randint(1, 3),
                        reason="resolved" if kind == "resolved" else "unreachable", when=when)
        elif kind == "assign":
            cb.assign(ticket, task, rng.choice(agents), when)
        elif kind == "outcome":
            cb.outcome(ticket, task, rng.choice(outcomes), when, agent=rng.choice([*agents, None]),
                       on_time=rng.random() < 0.5)
        else:
            cb.answer(ticket, rng.randint(1, 8), when, csat=rng.choice([None, 1, 3, 4, 5]),
                      nps=rng.choice([None, 0, 6, 7, 9, 10]), agent=rng.choice([*agents, None]))
    built = snapshot()
    assert built["cases"] and built["attempts"] and built["answers"]
    rebuild_facts(batch=3)
    assert snapshot() == built


def test_a_case_closed_as_unreachable_stays_with_the_agent_who_called(world):
    """The team lead approves the closing (and is named as the outcome's agent); the last caller keeps it."""
    from kefu.reports.tests.conftest import Callbacks

    ticket, cb = world.ticket(), Callbacks(world)
    cb.schedule(ticket, 1, at(3, 2))
    cb.assign(ticket, 1, world.agent_b, at(3, 1))
    cb.outcome(ticket, 1, "closed_unreachable", at(3, 3), agent=world.lead)
    case = CallbackCase.objects.get()
    assert (case.state, case.agent_id) == (CaseState.CLOSED_UNREACHABLE, world.agent_b.pk)
    assert CallbackAttempt.objects.get().agent_id == world.agent_b.pk
