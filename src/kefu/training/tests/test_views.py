"""Training pages: an agent sits an exam in the browser form; a trainer builds a course; results by role."""

import pytest

from kefu.training import services
from kefu.training.models import Attempt, Course
from kefu.training.services import QuestionInput


@pytest.fixture
def exam(world):
    return services.create_exam(actor=None, title="服务规范", questions=[
        QuestionInput("single", "首问负责制是？", ["谁接谁负责", "谁闲谁负责"], [0], points=50),
        QuestionInput("multiple", "十字服务用语包括？", ["您好", "请", "喂"], [0, 1], points=50)])


def test_an_agent_sits_an_exam_and_sees_the_result(client, world, exam):
    client.force_login(world.agent)
    page = client.get(f"/training/exams/{exam.pk}/")
    assert page.status_code == 200 and "服务规范" in page.content.decode()
    q1, q2 = exam.questions.all()
    response = client.post(f"/training/exams/{exam.pk}/", {f"q_{q1.pk}": "0", f"q_{q2.pk}": ["0", "1"]})
    attempt = Attempt.objects.get()
    assert response.url == f"/training/attempts/{attempt.pk}/" and (attempt.score, attempt.passed) == (100, True)
    assert "100%" in client.get(response.url).content.decode()
    client.force_login(world.agent_b)
    assert client.get(f"/training/attempts/{attempt.pk}/").status_code == 404


def test_a_trainer_builds_a_course_from_an_article_and_a_case(client, world):
    from kefu.phrases.models import Phrase

    ticket = world.ticket(by=world.agent, description="王小明来电 13812341234", customer_id=world.customer.pk)
    client.force_login(world.info_desk)
    phrase = Phrase.objects.first()
    response = client.post("/training/", {"title": "新人培训", "cases": str(ticket.pk), "scripts": str(phrase.pk)})
    course = Course.objects.get()
    assert response.url == f"/training/courses/{course.pk}/"
    page = client.get(response.url).content.decode()
    assert "[电话]" in page and "13812341234" not in page
    client.force_login(world.agent)
    assert client.post("/training/", {"title": "x"}).status_code == 403 and Course.objects.count() == 1


def test_results_list_costs_the_same_queries_for_more_attempts(client, world, exam, django_assert_num_queries):
    for user in (world.agent, world.agent_b):
        attempt = services.start_attempt(actor=user, exam_id=exam.pk)
        services.submit_attempt(actor=user, attempt_id=attempt.pk, answers={})
    client.force_login(world.lead)
    client.get("/training/results/")
    with django_assert_num_queries(3):
        page = client.get("/training/results/").content.decode()
    assert page.count("/training/attempts/") == 1  # the team lead sees his team's agent, not agent_b
