"""The satisfaction survey taken during the callback (CB3 by phone): stored with the outcome, or refused with it."""

import pytest

from kefu.callbacks.models import CallbackTask
from kefu.callbacks.services import OutcomeInput, SurveyAnswers, pull_next, record_outcome
from kefu.core.errors import ValidationFailed
from kefu.surveys.events import SurveyEventCode
from kefu.surveys.models import Response
from kefu.surveys.services import create_questionnaire
from kefu.surveys.tests.conftest import good_answers, ids, questionnaire_input


@pytest.fixture
def survey(world):
    return create_questionnaire(actor=world.supervisor, data=questionnaire_input())


def test_survey_answers_are_stored_with_the_accepted_outcome(world, resolve, survey):
    ticket = resolve()
    task = pull_next(actor=world.agent)
    record_outcome(actor=world.agent, task_id=task.pk, version=task.version, data=OutcomeInput(
        outcome="accepted", survey=SurveyAnswers(questionnaire_id=survey.pk, answers=good_answers(survey, 4, 10))))
    answered = ticket.events.get(code=SurveyEventCode.SURVEY_ANSWERED).params
    assert answered["via"] == "callback" and (answered["csat"], answered["nps"]) == (4, 10)
    assert answered["agent"] == world.agent.pk
    assert Response.objects.get().ticket_id == ticket.pk


def test_a_bad_answer_refuses_the_outcome_too(world, resolve, survey):
    ticket = resolve()
    task = pull_next(actor=world.agent)
    answers = good_answers(survey) | {str(ids(survey)[0]): 9}  # 9 on a 1–5 scale
    with pytest.raises(ValidationFailed) as err:
        record_outcome(actor=world.agent, task_id=task.pk, version=task.version, data=OutcomeInput(
            outcome="accepted", survey=SurveyAnswers(questionnaire_id=survey.pk, answers=answers)))
    assert err.value.field == f"answers.{ids(survey)[0]}"
    assert CallbackTask.objects.get(pk=task.pk).state == "open" and not Response.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_no_survey_when_the_customer_was_not_reached(world, resolve, survey):
    resolve()
    task = pull_next(actor=world.agent)
    with pytest.raises(ValidationFailed) as err:
        record_outcome(actor=world.agent, task_id=task.pk, version=task.version, data=OutcomeInput(
            outcome="unreachable", survey=SurveyAnswers(questionnaire_id=survey.pk, answers=good_answers(survey))))
    assert err.value.code == "not_reached"


def test_call_screen_shows_the_survey_and_keeps_answers_on_refusal(world, resolve, survey, client):
    resolve()
    task = pull_next(actor=world.agent)
    client.force_login(world.agent)
    page = client.get(f"/callbacks/{task.pk}/").content.decode()
    assert 'data-testid="survey-fields"' in page
    q = ids(survey)
    post = {"version": task.version, "outcome": "accepted", "questionnaire_id": survey.pk,
            f"q_{q[0]}": "5", f"q_{q[4]}": "师傅很耐心"}  # the required single choice is missing
    r = client.post(f"/callbacks/{task.pk}/outcome/", post)
    assert r.status_code == 422 and "师傅很耐心" in r.content.decode()
    post[f"q_{q[2]}"] = "1"
    assert client.post(f"/callbacks/{task.pk}/outcome/", post).status_code == 302
    assert Response.objects.get().via == "callback"
    # Declining the survey (every field empty) still records the outcome.
    resolve(title="第二张")
    task = pull_next(actor=world.agent)
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version, "outcome": "accepted",
                                                        "questionnaire_id": survey.pk})
    assert r.status_code == 302 and Response.objects.count() == 1


def test_resolved_ticket_page_offers_the_survey_and_shows_answers(world, resolve, survey, client):
    ticket = resolve()
    client.force_login(world.agent)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="survey-ask"' in page and f"/surveys/ticket/{ticket.pk}/" in page
    task = pull_next(actor=world.agent)
    record_outcome(actor=world.agent, task_id=task.pk, version=task.version, data=OutcomeInput(
        outcome="accepted", survey=SurveyAnswers(questionnaire_id=survey.pk, answers=good_answers(survey, 4, 7))))
    assert "CSAT 4 · NPS 7" in client.get(ticket.get_absolute_url()).content.decode()
    open_ticket = world.ticket()
    assert 'data-testid="survey-panel"' not in client.get(open_ticket.get_absolute_url()).content.decode()
