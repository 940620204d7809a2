"""Designing questionnaires: checks naming the field, who may design, in-use questionnaires kept intact."""

import pytest

from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.surveys.models import Question, Questionnaire
from kefu.surveys.selectors import questionnaire_for_ticket
from kefu.surveys.services import copy_questionnaire, create_questionnaire, record_response, update_questionnaire
from kefu.surveys.tests.conftest import good_answers, questionnaire_input
from kefu.surveys.validation import QuestionInput

pytestmark = pytest.mark.django_db


def test_a_designed_questionnaire_keeps_questions_in_order_with_keyed_choices(survey):
    questions = list(survey.questions.all())
    assert [q.kind for q in questions] == ["scale5", "scale10", "single", "multiple", "text"]
    assert questions[2].choices == [{"key": "1", "label": "已解决", "label_en": "Solved"},
                                    {"key": "2", "label": "未解决", "label_en": "Not solved"}]
    assert (questions[0].role, questions[1].role) == ("csat", "nps")


@pytest.mark.parametrize(("question", "field", "code"), [
    (QuestionInput(text="", kind="scale5"), "questions[0].text", "required"),
    (QuestionInput(text="x", kind="slider"), "questions[0].kind", "invalid_choice"),
    (QuestionInput(text="x", kind="single", choices=["只有一个"]), "questions[0].choices", "too_few_choices"),
    (QuestionInput(text="x", kind="single", choices=["同", "同"]), "questions[0].choices[1]", "duplicate"),
    (QuestionInput(text="x", kind="scale5", choices=["a", "b"]), "questions[0].choices", "invalid"),
    (QuestionInput(text="x", kind="scale10", role="csat"), "questions[0].role", "role_needs_scale"),
    (QuestionInput(text="x", kind="scale5", role="nps"), "questions[0].role", "role_needs_scale"),
    (QuestionInput(text="x" * 301, kind="text"), "questions[0].text", "too_long"),
])
def test_a_bad_question_is_refused_naming_it_and_nothing_is_saved(world, question, field, code):
    with pytest.raises(ValidationFailed) as exc:
        create_questionnaire(actor=world.admin, data=questionnaire_input(questions=[question]))
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not Questionnaire.objects.exists() and not Question.objects.exists()


def test_two_csat_questions_unknown_types_and_no_questions_are_refused(world):
    two = [QuestionInput(text="a", kind="scale5", role="csat"), QuestionInput(text="b", kind="scale5", role="csat")]
    for data, field, code in [
        (questionnaire_input(questions=two), "questions[1].role", "duplicate_role"),
        (questionnaire_input(ticket_types=["nope"]), "ticket_types", "unknown_type"),
        (questionnaire_input(questions=[]), "questions", "required"),
        (questionnaire_input(title_en=""), "title_en", "required"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            create_questionnaire(actor=world.admin, data=data)
        assert (exc.value.code, exc.value.field) == (code, field)
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("role", ["agent", "handler", "info_desk", "qa", "fieldman", "account_manager"])
def test_only_leads_supervisors_and_admins_design(world, role):
    with pytest.raises(Forbidden) as exc:
        create_questionnaire(actor=getattr(world, role), data=questionnaire_input())
    assert exc.value.code == "cannot_design_surveys"
    for designer in (world.lead, world.supervisor, world.admin):
        create_questionnaire(actor=designer, data=questionnaire_input())
    assert Questionnaire.objects.count() == 3


def test_a_questionnaire_without_answers_can_be_changed_freely(world, survey):
    data = questionnaire_input(questions=[QuestionInput(text="新问题", kind="text")])
    changed = update_questionnaire(actor=world.admin, questionnaire_id=survey.pk, version=1, data=data)
    assert changed.version == 2 and [q.text for q in changed.questions.all()] == ["新问题"]


def test_a_questionnaire_in_use_keeps_its_questions_but_can_be_reworded(world, survey):
    ticket = world.ticket()
    record_response(actor=world.agent, questionnaire_id=survey.pk, answers=good_answers(survey), ticket_id=ticket.pk,
                    via="callback")
    before = list(survey.questions.values_list("pk", "kind", "choices"))
    fewer = questionnaire_input()
    fewer.questions = fewer.questions[:2]
    with pytest.raises(ValidationFailed) as exc:
        update_questionnaire(actor=world.admin, questionnaire_id=survey.pk, version=1, data=fewer)
    assert (exc.value.code, exc.value.field) == ("questionnaire_in_use", "questions")
    assert list(survey.questions.values_list("pk", "kind", "choices")) == before
    reworded = questionnaire_input(title="业户意见调查表")
    reworded.questions[0].text = "您对我们的服务满意吗？"
    changed = update_questionnaire(actor=world.admin, questionnaire_id=survey.pk, version=1, data=reworded)
    assert changed.title == "业户意见调查表"
    assert [q.pk for q in changed.questions.all()] == [pk for pk, _k, _c in before]
    assert changed.questions.all()[0].text == "您对我们的服务满意吗？"


def test_a_stale_edit_is_refused_with_409(world, survey):
    update_questionnaire(actor=world.admin, questionnaire_id=survey.pk, version=1, data=questionnaire_input())
    with pytest.raises(Conflict) as exc:
        update_questionnaire(actor=world.supervisor, questionnaire_id=survey.pk, version=1,
                             data=questionnaire_input(title="晚了"))
    assert exc.value.params["current_version"] == 2
    assert Questionnaire.objects.get().title == "用户满意度调查表"


def test_copy_makes_an_inactive_next_version_with_the_same_questions(world, survey):
    copy = copy_questionnaire(actor=world.admin, questionnaire_id=survey.pk)
    assert not copy.active and copy.title == "用户满意度调查表 (2)"
    assert [q.text for q in copy.questions.all()] == [q.text for q in survey.questions.all()]


def test_the_ticket_type_questionnaire_comes_before_the_default_one(world, survey):
    complaint = create_questionnaire(actor=world.admin, data=questionnaire_input(title="投诉回访",
                                                                                 ticket_types=["complaint"]))
    retired = create_questionnaire(actor=world.admin, data=questionnaire_input(title="旧", ticket_types=["repair"],
                                                                               active=False))
    assert questionnaire_for_ticket(world.ticket(type="complaint", custom={"category": "其他"})).pk == complaint.pk
    assert questionnaire_for_ticket(world.ticket(type="inquiry")).pk == survey.pk
    repair = world.ticket(type="repair", custom={"fault": "其他"})
    assert questionnaire_for_ticket(repair).pk == survey.pk  # the retired one is skipped
    assert retired.pk
    Questionnaire.objects.update(active=False)
    assert questionnaire_for_ticket(world.ticket()) is None
