"""Survey screens and API: who may open what, forms with field errors, results with SVG charts, query counts."""

import pytest

from kefu.surveys.models import Questionnaire, Response
from kefu.surveys.services import create_questionnaire, record_response
from kefu.surveys.tests.conftest import good_answers, ids, questionnaire_input

pytestmark = pytest.mark.django_db

DESIGN_FORM = {"title": "业户意见调查表", "title_en": "Residents' opinion survey", "active": "on", "rows": "4",
               "q-0-text": "您对物业服务满意吗？", "q-0-kind": "scale5", "q-0-role": "csat", "q-0-required": "on",
               "q-1-text": "", "q-1-kind": "scale5",
               "q-2-text": "最需要改进的是", "q-2-kind": "single", "q-2-choices": "保洁 | Cleaning\n绿化 | Gardens",
               "q-3-text": "", "q-3-kind": "text"}


def test_anonymous_users_are_sent_to_login_and_agents_cannot_design(world, client, survey):
    for url in ("/surveys/", "/surveys/new/", f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/results/"):
        assert client.get(url).status_code == 302
    client.force_login(world.agent)
    for url in ("/surveys/", "/surveys/new/", f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/results/"):
        assert client.get(url).status_code == 403
    assert client.post("/surveys/new/", DESIGN_FORM).status_code == 403
    assert Questionnaire.objects.count() == 1


def test_a_supervisor_designs_a_questionnaire_through_the_form(world, client):
    client.force_login(world.supervisor)
    assert client.get("/surveys/new/").status_code == 200
    response = client.post("/surveys/new/", DESIGN_FORM)
    assert response.status_code == 302
    created = Questionnaire.objects.get()
    assert [(q.text, q.kind, q.role) for q in created.questions.all()] == [
        ("您对物业服务满意吗？", "scale5", "csat"), ("最需要改进的是", "single", "")]
    assert created.questions.all()[1].choices[1] == {"key": "2", "label": "绿化", "label_en": "Gardens"}
    edit = client.get(response.url)
    assert edit.status_code == 200 and "绿化 | Gardens" in edit.content.decode()


def test_a_bad_design_form_shows_the_error_under_its_field_and_saves_nothing(world, client):
    client.force_login(world.admin)
    bad = client.post("/surveys/new/", {**DESIGN_FORM, "q-2-choices": "只有一个"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "field-error" in page and "只有一个" in page and "业户意见调查表" in page
    assert not Questionnaire.objects.exists()
    more = client.post("/surveys/new/", {**DESIGN_FORM, "more": "1"})
    assert more.status_code == 200 and more.content.decode().count('data-testid="question-row"') == 8
    assert not Questionnaire.objects.exists()


def test_editing_with_a_stale_version_is_409_and_changes_nothing(world, client, survey):
    client.force_login(world.admin)
    form = {**DESIGN_FORM, "version": "1"}
    assert client.post(f"/surveys/{survey.pk}/", form).status_code == 302
    stale = client.post(f"/surveys/{survey.pk}/", {**form, "title": "晚到的修改"})
    assert stale.status_code == 409
    assert Questionnaire.objects.get().title == "业户意见调查表"


def test_the_results_page_draws_bar_charts_in_svg(world, client, survey):
    record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey), via="campaign")
    client.force_login(world.lead)
    page = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "<svg" in page and "100.0%" in page and "<script" not in page.split("</head>")[1]


def test_an_agent_takes_the_survey_on_a_ticket_screen(world, client, survey):
    ticket = world.ticket(customer_id=world.customer.pk)
    client.force_login(world.agent)
    page = client.get(f"/surveys/ticket/{ticket.pk}/").content.decode()
    assert f'name="q_{ids(survey)[0]}"' in page
    form = {f"q_{k}": v for k, v in good_answers(survey).items()}
    missing = client.post(f"/surveys/ticket/{ticket.pk}/", {**form, f"q_{ids(survey)[2]}": ""})
    assert missing.status_code == 422 and not Response.objects.exists()
    assert client.post(f"/surveys/ticket/{ticket.pk}/", form).status_code == 302
    assert Response.objects.get().taken_by == world.agent
    sent = client.post(f"/surveys/ticket/{ticket.pk}/", {"action": "send", "channel": "chat"}, follow=True)
    assert "/s/" in sent.content.decode()
    client.force_login(world.agent_b)
    assert client.get(f"/surveys/ticket/{ticket.pk}/").status_code == 404


def test_the_questionnaire_list_costs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for i in range(12):
        create_questionnaire(actor=world.admin, data=questionnaire_input(title=f"问卷{i}", ticket_types=["repair"]))
    client.force_login(world.admin)
    with django_assert_max_num_queries(9):
        page = client.get("/surveys/")
    assert page.content.decode().count("问卷") >= 12


def test_api_designs_records_sends_and_reports(world, api):
    ticket = world.ticket()
    api.as_user(world, world.agent)
    body = {"title": "回访", "title_en": "Callback", "questions": [
        {"text": "满意吗", "kind": "scale5", "role": "csat", "required": True},
        {"text": "推荐吗", "kind": "scale10", "role": "nps"}]}
    assert api.post("/surveys/questionnaires", body).status_code == 403
    api.as_user(world, world.supervisor)
    bad = api.post("/surveys/questionnaires", {**body, "questions": [{"text": "x", "kind": "scale10",
                                                                      "role": "csat"}]})
    assert (bad.status_code, bad.json()["error"]["code"], bad.json()["error"]["field"]) == (
        422, "role_needs_scale", "questions[0].role")
    created = api.post("/surveys/questionnaires", body).json()
    q1, q2 = (q["id"] for q in created["questions"])
    api.as_user(world, world.agent)
    assert api.get(f"/surveys/for-ticket/{ticket.pk}").json()["id"] == created["id"]
    wrong = api.post("/surveys/responses", {"questionnaire_id": created["id"], "ticket_id": ticket.pk,
                                            "answers": {str(q1): 7}})
    assert (wrong.status_code, wrong.json()["error"]["field"]) == (422, f"answers.{q1}")
    ok = api.post("/surveys/responses", {"questionnaire_id": created["id"], "ticket_id": ticket.pk,
                                         "answers": {str(q1): 4, str(q2): 10}, "callback_task_id": 5})
    assert ok.status_code == 201 and (ok.json()["csat"], ok.json()["nps"]) == (4, 10)
    sent = api.post("/surveys/invitations", {"questionnaire_id": created["id"], "ticket_id": ticket.pk,
                                             "channel": "sms"})
    assert sent.status_code == 201 and "/s/" in sent.json()["url"]
    assert api.get(f"/surveys/questionnaires/{created['id']}/results").status_code == 403
    api.as_user(world, world.supervisor)
    results = api.get(f"/surveys/questionnaires/{created['id']}/results").json()
    assert (results["csat"]["percent"], results["nps"]["score"]) == (100.0, 100.0)
    in_use = api.patch(f"/surveys/questionnaires/{created['id']}", {**body, "version": 1,
                                                                   "questions": body["questions"][:1]})
    assert (in_use.status_code, in_use.json()["error"]["code"]) == (422, "questionnaire_in_use")


def test_the_api_refuses_anonymous_callers_and_results_cost_fixed_queries(world, api, survey,
                                                                           django_assert_max_num_queries):
    assert api.get("/surveys/questionnaires").status_code == 401
    assert api.post("/surveys/responses", {"questionnaire_id": survey.pk, "answers": {}}).status_code == 401
    assert api.post("/campaigns", {"name": "x", "purpose": "other"}).status_code == 401
    for csat in (1, 2, 3, 4, 5, 5, 4):
        record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey, csat),
                        via="campaign")
    api.as_user(world, world.supervisor)
    with django_assert_max_num_queries(12):
        results = api.get(f"/surveys/questionnaires/{survey.pk}/results").json()
    assert results["responses"] == 7 and results["csat"]["percent"] == round(100 * 4 / 7, 1)
