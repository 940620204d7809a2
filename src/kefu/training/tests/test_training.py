"""Courses, assignments from QA deductions, timed exams with auto-marking and retakes, the briefing items."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.core.errors import Conflict, Forbidden
from kefu.training import services
from kefu.training.models import Assignment, Attempt, QaCourse
from kefu.training.services import QuestionInput

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 10, 9, tzinfo=TZ)


@pytest.fixture
def exam(world):
    return services.create_exam(actor=world.info_desk, title="燃气安全知识", minutes=20, pass_mark=60, max_attempts=2,
                                questions=[
        QuestionInput("single", "闻到燃气味首先应该？", ["开灯检查", "开窗通风", "打电话"], [1], points=40),
        QuestionInput("multiple", "十字服务用语包括？", ["您好", "请", "喂", "谢谢"], [0, 1, 3], points=30),
        QuestionInput("short", "投诉记录要写清哪些要素？", keywords=["时间", "地点"], points=30)])


def answers(exam, single=1, multiple=(0, 1, 3), short="时间、地点、人物"):
    q = list(exam.questions.all())
    return {str(q[0].pk): [single], str(q[1].pk): list(multiple), str(q[2].pk): short}


def test_choices_and_keyword_answers_are_marked_at_once(world, exam):
    attempt = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW)
    attempt = services.submit_attempt(actor=world.agent, attempt_id=attempt.pk, answers=answers(exam),
                                      now=NOW + timedelta(minutes=5))
    assert (attempt.score, attempt.passed, attempt.needs_marking) == (100, True, False)


def test_a_wrong_multiple_choice_gets_nothing_and_a_fail_allows_one_retake(world, exam):
    first = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW)
    first = services.submit_attempt(actor=world.agent, attempt_id=first.pk, answers=answers(exam, 0, (0, 1)),
                                    now=NOW + timedelta(minutes=5))
    assert (first.score, first.passed) == (30, False)
    second = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW + timedelta(hours=1))
    assert second.number == 2
    services.submit_attempt(actor=world.agent, attempt_id=second.pk, answers=answers(exam, 0, (0,)),
                            now=NOW + timedelta(hours=1, minutes=1))
    with pytest.raises(Conflict) as exc:
        services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW + timedelta(hours=2))
    assert exc.value.code == "no_attempts_left" and Attempt.objects.count() == 2


def test_answers_handed_in_after_the_time_limit_do_not_count(world, exam):
    attempt = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW)
    attempt = services.submit_attempt(actor=world.agent, attempt_id=attempt.pk, answers=answers(exam),
                                      now=NOW + timedelta(minutes=22))
    assert (attempt.score, attempt.passed) == (0, False)


def test_a_short_answer_without_keywords_waits_for_the_trainer(world):
    exam = services.create_exam(actor=world.info_desk, title="处理流程", questions=[
        QuestionInput("short", "描述投诉处理流程", points=10)])
    attempt = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW)
    attempt = services.submit_attempt(actor=world.agent, attempt_id=attempt.pk,
                                      answers={str(exam.questions.get().pk): "受理、核实、处理、回访"}, now=NOW)
    assert attempt.needs_marking and attempt.score is None
    with pytest.raises(Forbidden):
        services.mark_answer(actor=world.agent, attempt_id=attempt.pk, question_id=exam.questions.get().pk, points=8)
    attempt = services.mark_answer(actor=world.lead, attempt_id=attempt.pk, question_id=exam.questions.get().pk,
                                   points=8)
    assert (attempt.score, attempt.passed, attempt.needs_marking) == (80, True, False)


def test_a_case_study_takes_the_customers_data_out(world):
    ticket = world.ticket(by=world.agent, title="王小明家燃气表漏气", description="王小明 13812341234 报告漏气，"
                          "身份证110101199001011234", customer_id=world.customer.pk, now=NOW)
    course = services.create_course(actor=world.info_desk, title="漏气处置", items=[
        services.ItemInput(kind="case", ticket_id=ticket.pk)])
    item = course.items.get()
    assert "王小明" not in item.text + item.title and "13812341234" not in item.text
    assert "110101199001011234" not in item.text and "[电话]" in item.text


def test_a_qa_deduction_assigns_the_linked_course_once(world):
    from kefu.quality.models import Contact
    from kefu.quality.services import harvest_contacts, score_contact

    course = services.create_course(actor=world.info_desk, title="服务用语", items=[])
    QaCourse.objects.create(item_code="polite_words", course=course)
    for i in range(2):
        world.ticket(by=world.agent, now=NOW + timedelta(hours=i))
    harvest_contacts(actor=None, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1))
    for contact in Contact.objects.all():
        score_contact(actor=world.qa, contact_id=contact.pk, deductions={"polite_words": 5}, now=NOW)
    assignment = Assignment.objects.get()
    assert (assignment.agent, assignment.reason) == (world.agent, "qa")


def test_onboarding_gives_every_course_of_the_plan(world):
    from kefu.training.models import OnboardingPlan

    plan = OnboardingPlan.objects.create(name="新员工入职")
    plan.courses.set([services.create_course(actor=None, title=t, items=[]) for t in ("企业文化", "业务知识")])
    assert len(services.start_onboarding(actor=world.lead, plan_id=plan.pk, agent_id=world.agent.pk, now=NOW)) == 2


def test_yesterdays_deductions_and_exam_results_go_into_the_briefing(world, exam):
    from kefu.briefing.services import prepare_briefing
    from kefu.quality.models import Contact
    from kefu.quality.services import harvest_contacts, score_contact

    world.ticket(by=world.agent, now=NOW)
    harvest_contacts(actor=None, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1))
    score_contact(actor=world.qa, contact_id=Contact.objects.get().pk, deductions={"closing": 5}, now=NOW)
    attempt = services.start_attempt(actor=world.agent, exam_id=exam.pk, now=NOW)
    services.submit_attempt(actor=world.agent, attempt_id=attempt.pk, answers=answers(exam), now=NOW)
    briefing = prepare_briefing(actor=world.info_desk, day=date(2026, 11, 11))
    texts = {(i.kind, i.text, i.count) for i in briefing.items.all()}
    assert ("defect", "质检扣分：结束语（送声）", 1) in texts
    assert ("hot_issue", "考试 燃气安全知识：1 人中 1 人通过", 1) in texts
