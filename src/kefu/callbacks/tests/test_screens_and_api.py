"""The callback screens and endpoints: pull, the script on screen, outcomes, approvals, errors and query counts."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from kefu.callbacks.models import CallbackRule, CallbackTask
from kefu.callbacks.services import pull_next


def test_agent_pulls_follows_the_script_and_records_accepted_on_screen(world, resolve, client):
    ticket = resolve(customer_id=world.customer.pk)
    client.force_login(world.agent)
    page = client.get("/callbacks/").content.decode()
    assert 'data-testid="pull-next"' in page
    r = client.post("/callbacks/pull/")
    task = CallbackTask.objects.get(ticket=ticket)
    assert r.status_code == 302 and r.url == f"/callbacks/{task.pk}/"
    with override_settings(KEFU_CENTER_NAME="南昌服务中心"):
        page = client.get(r.url).content.decode()
    # The seed's six steps, filled in: the customer, company and department, the agent's 工号, the result.
    for step in ("identity", "introduce", "convenient", "result", "clear", "closing"):
        assert f'data-step="{step}"' in page
    assert "王小明" in page and "南昌服务中心" in page and "客服部" in page and world.agent.agent_no in page
    assert "13812341234" not in page  # the phone is masked on the call screen
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version - 1, "outcome": "accepted"})
    assert r.status_code == 409
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version, "outcome": "not_convenient",
                                                        "call_at": "yesterday", "note": "正在开会"})
    assert r.status_code == 422 and 'class="field-error"' in r.content.decode()
    assert "正在开会" in r.content.decode()  # what was typed is kept
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version, "outcome": "not_convenient",
                                                        "call_at": "2026-02-30T10:00"})  # no such day
    assert r.status_code == 422 and "请输入日期和时间" in r.content.decode()
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version, "outcome": "accepted"})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert 'data-testid="callback-panel"' in client.get(ticket.get_absolute_url()).content.decode()


def test_empty_queue_says_so(world, client):
    client.force_login(world.agent)
    r = client.post("/callbacks/pull/")
    assert r.status_code == 200 and 'data-testid="pull-empty"' in r.content.decode()


def test_lead_assigns_and_approves_from_the_queue_page(world, resolve, client):
    resolve()
    task = CallbackTask.objects.get()
    client.force_login(world.lead)
    page = client.get("/callbacks/").content.decode()
    assert 'data-testid="team-callbacks"' in page
    r = client.post(f"/callbacks/{task.pk}/assign/", {"version": task.version, "assignee_id": "abc"})
    assert r.status_code == 422
    r = client.post(f"/callbacks/{task.pk}/assign/", {"version": task.version, "assignee_id": world.handler.pk})
    assert r.status_code == 302
    assert CallbackTask.objects.get().assignee == world.handler


def test_qa_and_field_crew_have_no_callback_screen(world, client):
    for user in (world.qa, world.fieldman):
        client.force_login(user)
        assert client.get("/callbacks/").status_code == 403


def test_queue_page_query_count_does_not_grow_with_tasks(world, resolve, client, django_assert_max_num_queries):
    client.force_login(world.lead)
    for i in range(3):
        resolve(title=f"t{i}", now=timezone.now() - dt.timedelta(days=1))
    with django_assert_max_num_queries(14) as few:
        client.get("/callbacks/")
    for i in range(12):
        resolve(title=f"u{i}", now=timezone.now() - dt.timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/callbacks/")


def test_the_api_pulls_records_and_refuses_clearly(world, resolve, api):
    ticket = resolve()
    agent = api.as_user(world, world.agent)
    assert agent.get("/callbacks?scope=bogus").json()["error"]["field"] == "scope"
    r = agent.post("/callbacks/pull")
    task = r.json()["task"]
    assert r.status_code == 200 and task["ticket_id"] == ticket.pk and task["assignee"]["id"] == world.agent.pk
    assert api.as_user(world, world.handler).post("/callbacks/pull").json() == {"task": None}
    agent = api.as_user(world, world.agent)
    detail = agent.get(f"/callbacks/{task['id']}").json()
    assert [s["key"] for s in detail["script"]][0] == "identity"
    r = agent.post(f"/callbacks/{task['id']}/outcome", {"version": task["version"], "outcome": "maybe"})
    assert r.status_code == 422 and (r.json()["error"]["code"], r.json()["error"]["field"]) == (
        "invalid_choice", "outcome")
    r = agent.post(f"/callbacks/{task['id']}/outcome", {"version": task["version"], "outcome": "new_need",
                                                         "follow_up": {"title": " "}})
    assert r.status_code == 422 and r.json()["error"]["field"] == "follow_up.title"
    r = agent.post(f"/callbacks/{task['id']}/outcome", {"version": task["version"], "outcome": "accepted"})
    assert r.status_code == 200 and r.json()["outcome"] == "accepted"
    assert [t["id"] for t in agent.get("/callbacks?scope=mine").json()] == []
    assert api.as_user(world, world.agent_b).get(f"/callbacks/{task['id']}").status_code == 404


def test_the_api_approval_needs_a_team_lead(world, resolve, api):
    for rule in CallbackRule.objects.all():  # one attempt, so the first "unreachable" asks the lead
        rule.max_attempts = 1
        rule.save()
    resolve()
    task = pull_next(actor=world.agent)
    r = api.as_user(world, world.agent).post(f"/callbacks/{task.pk}/outcome",
                                             {"version": task.version, "outcome": "unreachable"})
    assert r.status_code == 200 and r.json()["state"] == "awaiting_approval"
    body = {"version": r.json()["version"], "approve": True, "reason": "三次未接通"}
    assert api.as_user(world, world.agent).post(f"/callbacks/{task.pk}/approval", body).status_code == 403
    r = api.as_user(world, world.lead).post(f"/callbacks/{task.pk}/approval", body)
    assert r.status_code == 200 and r.json()["outcome"] == "closed_unreachable"
