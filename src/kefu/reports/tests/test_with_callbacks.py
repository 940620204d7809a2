"""The report fed by the real callback queue and surveys (kefu.callbacks, kefu.surveys), not hand-made events."""

import datetime as dt

from kefu.callbacks import services as callbacks
from kefu.callbacks.models import CallbackTask
from kefu.callbacks.services import OutcomeInput, SurveyAnswers
from kefu.callbacks.tests.conftest import MONDAY, resolve  # noqa: F401 (the fixture)
from kefu.reports.models import CallbackCase, CaseState
from kefu.reports.selectors import callback_report
from kefu.reports.services import rebuild_facts
from kefu.reports.tests.test_rebuild import snapshot
from kefu.reports.validation import clean_filters
from kefu.surveys.services import create_questionnaire
from kefu.surveys.tests.conftest import good_answers, questionnaire_input
from kefu.tickets import services as tickets

LATER = MONDAY + dt.timedelta(hours=2)


def record(user, task, outcome, now, **kwargs):
    task.refresh_from_db()
    return callbacks.record_outcome(actor=user, task_id=task.pk, version=task.version,
                                    data=OutcomeInput(outcome=outcome, **kwargs), now=now)


def test_callbacks_and_surveys_feed_the_report(world, resolve):  # noqa: F811
    survey = create_questionnaire(actor=world.supervisor, data=questionnaire_input())
    # 1: accepted at the first call, with a survey (CSAT 4, NPS 10).
    resolve()
    record(world.agent, callbacks.pull_next(actor=world.agent, now=LATER), "accepted", LATER,
           survey=SurveyAnswers(questionnaire_id=survey.pk, answers=good_answers(survey, 4, 10)))
    # 2: not accepted by the agent; another agent calls again later and it is accepted.
    resolve()
    record(world.agent, callbacks.pull_next(actor=world.agent, now=LATER), "not_accepted", LATER, note="没修好")
    later = LATER + dt.timedelta(hours=3)
    record(world.handler, callbacks.pull_next(actor=world.handler, now=later), "accepted", later)
    # 3: the ticket is reopened before the callback: the case is cancelled.
    third = resolve()
    tickets.reopen_ticket(actor=world.agent, ticket_id=third.pk, version=third.version, reason="又坏了", now=LATER)
    # 4: unreachable three times, then the team lead approves closing it.
    fourth, now = resolve(), LATER
    for _attempt in range(3):
        record(world.agent, callbacks.pull_next(actor=world.agent, now=now), "unreachable", now)
        now += dt.timedelta(hours=3)
    task = CallbackTask.objects.get(ticket=fourth, state="awaiting_approval")
    callbacks.decide_unreachable(actor=world.lead, task_id=task.pk, version=task.version, approve=True,
                                 reason="三次未接通", now=now)

    assert sorted(CallbackCase.objects.values_list("state", flat=True)) == sorted([
        CaseState.REACHED, CaseState.REACHED, CaseState.CANCELLED, CaseState.CLOSED_UNREACHABLE])
    filters = clean_filters(start="2026-11-01", end="2026-12-31", today=MONDAY.date())
    report = callback_report(world.supervisor, filters, group="agent", now=MONDAY + dt.timedelta(days=30))
    total = report.total
    assert (total.completed, total.cases, total.pending) == (2, 3, 0)  # the cancelled case is not counted
    assert (total.accepted, total.reached) == (2, 3)
    assert (total.csat_satisfied, total.csat_answers, total.promoters, total.nps_answers) == (1, 1, 1, 1)
    by_agent = {r.key: r.figures for r in report.rows}
    # The case of ticket 2 is the agent's (he reached the customer first); the handler's call counts for him.
    assert (by_agent[world.agent.pk].completed, by_agent[world.agent.pk].cases) == (2, 3)
    assert (by_agent[world.handler.pk].accepted, by_agent[world.handler.pk].reached) == (1, 1)

    built = snapshot()
    rebuild_facts(batch=1)
    assert snapshot() == built
