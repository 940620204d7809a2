"""End to end in a real browser (issue 22): the QA inspector lands on the queue and scores a sampled chat, the agent
appeals, the supervisor raises the score, and the KPI page and the star board follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.kpi.models import KpiSettings
from kefu.quality import services
from kefu.quality.models import Contact
from kefu.quality.services.common import local_month
from kefu.quality.tests.conftest import GOOD, conversation
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_score_appeal_decide_then_kpis_and_stars_change(world, live_server, new_page):
    now = timezone.now()
    services.save_plan(actor=None, team_id=world.team_a.pk, per_agent=1)
    services.save_plan(actor=None, team_id=world.team_b.pk, per_agent=1)
    conversation(world, lines=GOOD, at=now - timedelta(minutes=30), channel="chat")
    other = conversation(world, by=world.agent_b, lines=GOOD, at=now - timedelta(minutes=20), channel="chat")
    services.sample_month(actor=None, month=local_month(now))
    services.score_contact(actor=world.qa, contact_id=Contact.objects.get(ref=str(other.pk)).pk,
                           deductions={"closing": 10})  # agent_b: 90
    settings = KpiSettings.current()
    settings.star_min_evaluations = 1
    settings.save()
    mine = Contact.objects.get(agent=world.agent)

    qa = new_page(world.qa)
    assert qa.url.endswith("/quality/")  # the inspector lands on the queue
    screenshot(qa, "quality-queue")
    qa.click(f"a[href='/quality/contacts/{mine.pk}/']")
    qa.fill("input[name=d_accuracy]", "20")
    qa.fill("input[name=comment_text]", "答复不够准确")
    qa.fill("input[name=comment_line]", "1")
    screenshot(qa, "quality-score")
    qa.click("[data-testid=score-form] button.primary")
    assert qa.inner_text("[data-testid=score]") == "80"

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/quality/evaluations/")
    agent.click(f"a[href='/quality/contacts/{mine.pk}/']")
    agent.fill("textarea[name=reason]", "我的答复与知识库一致")
    agent.click("[data-testid=appeal-form] button.primary")
    agent.wait_for_selector("[data-testid=appeal]")
    screenshot(agent, "quality-appeal")

    boss = new_page(world.supervisor)
    boss.goto(f"{live_server.url}/kpi/stars/")
    boss.click("[data-testid=publish-stars]")
    assert boss.inner_text("[data-testid=star-best_qa]").startswith("agent_b")
    boss.goto(f"{live_server.url}/quality/contacts/{mine.pk}/")
    boss.fill("[data-testid=decide-form] input[name=d_accuracy]", "0")
    boss.fill("textarea[name=decision]", "核实答复正确，改分")
    boss.click("[data-testid=decide-form] button.primary")
    assert boss.inner_text("[data-testid=score]") == "100"
    boss.goto(f"{live_server.url}/kpi/?period=month&group=agent")
    cell = boss.inner_text(f"tr[data-key='{world.agent.pk}'] td[data-measure=qa]")
    assert cell.startswith("100") and "100/1" in cell
    screenshot(boss, "kpi-overview")
    boss.goto(f"{live_server.url}/kpi/stars/")
    boss.click("[data-testid=publish-stars]")
    assert boss.inner_text("[data-testid=star-best_qa]").startswith("agent")
    assert not boss.inner_text("[data-testid=star-best_qa]").startswith("agent_b")

    agent.goto(f"{live_server.url}/kpi/stars/")
    screenshot(agent, "kpi-stars")
    assert agent.inner_text("[data-testid=star-best_qa]").startswith("agent")
    agent.goto(f"{live_server.url}/kpi/?period=month")
    assert agent.locator("[data-testid=kpi-table] tbody tr").count() == 1  # only their own row


def test_the_supervisor_edits_a_scorecard_and_a_stale_edit_keeps_the_typing(world, live_server, new_page):
    from kefu.quality.models import Scorecard

    boss = new_page(world.supervisor)
    boss.goto(f"{live_server.url}/quality/")
    boss.click("a[href='/quality/scorecards/']")
    card = Scorecard.objects.order_by("pk").first()
    boss.click(f"a[href='/quality/scorecards/{card.pk}/']")
    screenshot(boss, "quality-scorecard")
    Scorecard.objects.filter(pk=card.pk).update(version=card.version + 1)  # someone else saved meanwhile
    boss.fill("input[name=name]", "我改的名字")
    boss.click("[data-testid=scorecard-form] button.primary")
    boss.wait_for_selector("[data-field=version]")
    assert boss.input_value("input[name=name]") == "我改的名字"
    screenshot(boss, "quality-scorecard-stale")
    card.refresh_from_db()
    assert card.name != "我改的名字"
