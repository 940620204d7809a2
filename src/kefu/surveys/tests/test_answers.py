"""Taking a survey on the phone: every answer checked by kind, scores and the ticket event the reports read."""

import pytest

from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.surveys import metrics
from kefu.surveys.events import SurveyEventCode
from kefu.surveys.models import Answer, Response
from kefu.surveys.services import record_response
from kefu.surveys.tests.conftest import good_answers, ids
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.services import assign_ticket

pytestmark = pytest.mark.django_db


def test_answers_taken_during_a_callback_are_stored_with_scores_and_one_ticket_event(world, survey):
    ticket = world.ticket()
    version = Ticket.objects.get(pk=ticket.pk).version
    response = record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey, 4, 10),
                               ticket_id=ticket.pk, callback_task_id=77, via="callback")
    assert (response.csat, response.nps, response.via, response.callback_task_id) == (4, 10, "callback", 77)
    assert response.taken_by == world.agent
    q = ids(survey)
    assert sorted(Answer.objects.filter(question_id=q[3]).values_list("choice", flat=True)) == ["1", "3"]
    event = TicketEvent.objects.get(ticket=ticket, code=SurveyEventCode.SURVEY_ANSWERED)
    assert event.params == {"response": response.pk, "questionnaire": survey.pk, "via": "callback", "csat": 4,
                            "nps": 10, "agent": ticket.assignee_id}
    assert event.actor == world.agent
    assert Ticket.objects.get(pk=ticket.pk).version == version  # an appended answer bumps nothing


def test_the_event_names_the_assignee_at_that_moment(world, survey):
    ticket = world.ticket()
    assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_a.pk,
                  assignee_id=world.handler.pk)
    answers = good_answers(survey)
    answers[str(ids(survey)[1])] = ""  # NPS is optional
    record_response(actor=world.agent, questionnaire_id=survey.pk, answers=answers, ticket_id=ticket.pk,
                    via="callback")
    params = TicketEvent.objects.get(ticket=ticket, code=SurveyEventCode.SURVEY_ANSWERED).params
    assert (params["agent"], params["nps"], params["csat"]) == (world.handler.pk, None, 5)


def _refused(world, survey, answers):
    ticket = world.ticket()
    with pytest.raises(ValidationFailed) as exc:
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=answers, ticket_id=ticket.pk,
                        via="callback")
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not TicketEvent.objects.filter(code=SurveyEventCode.SURVEY_ANSWERED).exists()
    return exc.value


@pytest.mark.parametrize(("index", "value", "code"), [
    (0, None, "required"), (0, "", "required"), (0, 6, "out_of_range"), (0, 0, "out_of_range"),
    (0, "4.5", "invalid"), (0, True, "invalid"),
    (1, 11, "out_of_range"), (1, -1, "out_of_range"), (1, "-1", "invalid"),
    (2, "3", "invalid_choice"), (2, ["1"], "invalid_choice"), (2, None, "required"),
    (3, ["1", "9"], "invalid_choice"), (3, 2, "invalid_choice"),
    (4, "长" * 2001, "too_long"), (4, 5, "invalid"),
])
def test_each_kind_of_answer_is_checked_and_a_bad_one_changes_nothing(world, survey, index, value, code):
    answers = good_answers(survey)
    key = str(ids(survey)[index])
    if value is None:
        del answers[key]
    else:
        answers[key] = value
    error = _refused(world, survey, answers)
    assert (error.code, error.field) == (code, f"answers.{key}")


def test_all_bad_answers_are_listed_and_unknown_questions_refused(world, survey):
    error = _refused(world, survey, {"999999": 1})
    fields = [e["field"] for e in error.params["errors"]]
    q = ids(survey)
    assert fields == ["answers.999999", f"answers.{q[0]}", f"answers.{q[2]}"]
    assert error.params["errors"][0]["code"] == "unknown_question"
    assert _refused(world, survey, ["not", "a", "dict"]).field == "answers"


def test_scales_accept_digit_strings_as_a_form_posts_them(world, survey):
    answers = good_answers(survey)
    answers[str(ids(survey)[0])] = "3"
    response = record_response(actor=world.agent, questionnaire_id=survey.pk, answers=answers, via="campaign")
    assert response.csat == 3 and response.ticket is None and response.agent == world.agent


def test_only_callback_or_campaign_answers_are_recorded_by_agents(world, survey):
    with pytest.raises(ValidationFailed) as exc:
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey), via="link")
    assert (exc.value.code, exc.value.field) == ("invalid_choice", "via")


def test_qa_cannot_take_surveys_and_nobody_answers_about_a_ticket_they_cannot_see(world, survey):
    with pytest.raises(Forbidden):
        record_response(actor=world.qa, questionnaire_id=survey.pk, answers=good_answers(survey), via="callback")
    other_team = world.ticket(by=world.agent_b)
    with pytest.raises(NotFound) as exc:
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey),
                        ticket_id=other_team.pk, via="callback")
    assert exc.value.field == "ticket_id"
    assert not Response.objects.exists()


def test_a_retired_questionnaire_takes_no_more_answers(world, survey):
    survey.active = False
    survey.save()
    with pytest.raises(NotFound):
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey), via="callback")
    with pytest.raises(ValidationFailed) as exc:
        record_response(actor=world.lead, questionnaire_id=survey.pk, answers=good_answers(survey), via="callback")
    assert exc.value.code == "questionnaire_inactive"


def test_csat_and_nps_on_known_data():
    assert metrics.csat_percent([5, 4, 3, 1]) == 50.0
    assert metrics.csat_mean([5, 4, 3, 1]) == 3.25
    assert metrics.nps([10, 9, 8, 7, 6, 0, 10, 9, 5, 3]) == 0.0
    assert metrics.nps([10, 10, 9, 6]) == 50.0
    assert metrics.nps([0, 6, 7, 8]) == -50.0
    assert metrics.csat_percent([]) is None and metrics.nps([]) is None


def test_results_count_every_choice_and_score_per_question_and_agent(world, survey):
    ticket = world.ticket()
    ticket = assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_a.pk,
                           assignee_id=world.agent.pk)
    for csat, nps in [(5, 10), (4, 9), (2, 3), (1, 7)]:
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey, csat, nps),
                        ticket_id=ticket.pk, via="callback")
    data = metrics.results(survey)
    assert data["responses"] == 4
    assert data["csat"] == {"answers": 4, "percent": 50.0, "mean": 3.0}
    assert (data["nps"]["score"], data["nps"]["promoters"], data["nps"]["detractors"]) == (25.0, 2, 1)
    by_kind = {q["kind"]: q for q in data["questions"]}
    assert [r["count"] for r in by_kind["scale5"]["counts"]] == [1, 1, 0, 1, 1]
    assert [(r["label"], r["count"]) for r in by_kind["multiple"]["counts"]] == [("态度", 4), ("速度", 0), ("专业", 4)]
    assert by_kind["text"]["texts"] == ["很好"] * 4
    assert data["agents"] == [{"agent_id": world.agent.pk, "agent": world.agent.label, "responses": 4,
                               "csat": 50.0, "nps": 25.0}]


def test_the_ticket_timeline_describes_survey_events(world, survey):
    from django.utils import translation

    from kefu.surveys.services import send_invitation
    from kefu.tickets.timeline import timeline

    ticket = world.ticket()
    ticket = assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_a.pk,
                           assignee_id=world.agent.pk)
    record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey, 4, 8),
                    ticket_id=ticket.pk, via="callback")
    send_invitation(actor=world.agent, questionnaire_id=survey.pk, ticket_id=ticket.pk, channel="sms")
    events = list(TicketEvent.objects.filter(ticket=ticket, code__startswith="survey_").order_by("id"))
    with translation.override("zh-hans"):
        details = [entry.detail for entry in timeline(events, {})]
    assert details == ["回访时电话调查，满意度 4/5，推荐度 8/10，评价对象 agent", "已通过短信发送链接"]
