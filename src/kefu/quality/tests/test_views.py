"""The quality pages: the inspector lands on the queue, scores a contact; the agent appeals; the supervisor decides."""

from datetime import date, timedelta

import pytest

from kefu.quality import services
from kefu.quality.models import Contact, Evaluation
from kefu.quality.tests.conftest import GOOD, NOV, conversation

MONTH = date(2026, 11, 1)


def _login(client, user):
    client.force_login(user)
    return client


def _sampled(world, n=1):
    for i in range(n):
        conversation(world, lines=GOOD, at=NOV + timedelta(minutes=i))
    services.sample_month(actor=None, month=MONTH)
    return Contact.objects.order_by("pk").first()


def test_the_qa_inspector_lands_on_the_inspection_queue(client, world):
    response = _login(client, world.qa).get("/")
    assert response.status_code == 302 and response.url == "/quality/"


def test_an_agent_opening_the_queue_goes_to_their_evaluations(client, world):
    assert _login(client, world.agent).get("/quality/").url == "/quality/evaluations/"


def test_the_queue_costs_the_same_queries_for_more_samples(client, world, plans, django_assert_num_queries):
    _sampled(world, 1)
    _login(client, world.qa)
    client.get("/quality/?month=2026-11")  # warm the session and caches
    with django_assert_num_queries(3) as first:
        assert client.get("/quality/?month=2026-11").status_code == 200
    services.save_plan(actor=None, team_id=world.team_a.pk, per_agent=5)
    _sampled(world, 4)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/quality/?month=2026-11")
    assert page.content.decode().count("/quality/contacts/") == 5


def test_score_appeal_and_decision_through_the_pages(client, world, plans):
    contact = _sampled(world)
    _login(client, world.qa)
    page = client.get(f"/quality/contacts/{contact.pk}/")
    assert "data-testid=\"score-form\"" in page.content.decode()
    response = client.post(f"/quality/contacts/{contact.pk}/", {"action": "score", "d_accuracy": "10",
                                                                "comment_text": "答复不准确", "comment_line": "1"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.score == 90 and evaluation.comments.get().line == 1

    _login(client, world.agent)
    assert client.post(f"/quality/contacts/{contact.pk}/", {"action": "appeal", "reason": "知识库就是这么写的"}
                       ).status_code == 302
    _login(client, world.supervisor)
    assert "decide-form" in client.get(f"/quality/contacts/{contact.pk}/").content.decode()
    client.post(f"/quality/contacts/{contact.pk}/", {"action": "change", "decision": "核实无误", "d_accuracy": "0"})
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.status) == (100, "changed")


def test_an_over_deduction_shows_the_error_and_saves_nothing(client, world, plans):
    contact = _sampled(world)
    response = _login(client, world.qa).post(f"/quality/contacts/{contact.pk}/", {"action": "score",
                                                                                 "d_closing": "50"})
    assert response.status_code == 422 and not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["agent_b", "fieldman"])
def test_another_agent_cannot_open_the_contact(client, world, plans, who):
    contact = _sampled(world)
    assert _login(client, getattr(world, who)).get(f"/quality/contacts/{contact.pk}/").status_code == 404


def test_settings_change_the_word_lists(client, world):
    from kefu.quality.services.config import check_rules

    rules = check_rules()
    _login(client, world.supervisor)
    data = {k: "、".join(getattr(rules, k)) for k in ("greeting", "closing", "polite", "rude", "arguing")}
    response = client.post("/quality/settings/", {**data, "forbidden": "不行, 不知道, 没门", "version": rules.version,
                                                  "first_reply": 60, "talk": 300, "hold": 60, "silence": 30})
    assert response.status_code == 302
    assert "没门" in check_rules().forbidden
    assert _login(client, world.qa).get("/quality/settings/").status_code == 403


def test_the_evaluations_list_costs_the_same_queries_for_more_rows(client, world, plans, django_assert_num_queries):
    services.save_plan(actor=None, team_id=world.team_a.pk, per_agent=5)
    _sampled(world, 3)
    for contact in Contact.objects.all():
        services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={})
    _login(client, world.agent)
    client.get("/quality/evaluations/")
    with django_assert_num_queries(3):
        page = client.get("/quality/evaluations/").content.decode()
    assert page.count("/quality/contacts/") == 3
