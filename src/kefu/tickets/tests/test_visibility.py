"""visible_to(user) for every role, on the queryset, the API list, the API detail and the CSV export."""

import pytest

from kefu.tickets.models import Ticket
from kefu.tickets.services import dispatch_ticket


@pytest.fixture
def tickets(world):
    """One ticket per situation the scopes distinguish."""
    own_a = world.ticket(by=world.agent, title="A 班坐席自己的")
    team_a = world.ticket(by=world.lead, title="A 班的")
    team_b = world.ticket(by=world.agent_b, title="B 班的")
    vip = world.ticket(by=world.agent_b, title="VIP 客户的", customer_id=world.customer.pk)
    dispatched = world.ticket(by=world.agent_b, type="repair", title="派给维修组的", custom={"fault": "其他"})
    dispatch_ticket(actor=world.agent_b, ticket_id=dispatched.pk, version=dispatched.version, team_id=world.crew.pk)
    return {"own_a": own_a, "team_a": team_a, "team_b": team_b, "vip": vip, "dispatched": dispatched}


EXPECTED = {
    # role attribute on the world → tickets (by fixture key) that role sees
    "agent": {"own_a", "team_a"},
    "handler": {"own_a", "team_a"},
    "info_desk": {"own_a", "team_a"},
    "lead": {"own_a", "team_a"},
    "agent_b": {"team_b", "vip", "dispatched"},
    "qa": {"own_a", "team_a", "team_b", "vip", "dispatched"},
    "supervisor": {"own_a", "team_a", "team_b", "vip", "dispatched"},
    "manager": {"own_a", "team_a", "team_b", "vip", "dispatched"},
    "director": {"own_a", "team_a", "team_b", "vip", "dispatched"},
    "admin": {"own_a", "team_a", "team_b", "vip", "dispatched"},
    "fieldman": {"dispatched"},
    "account_manager": {"vip"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_scope(world, tickets, role):
    user = getattr(world, role)
    seen = set(Ticket.objects.visible_to(user).values_list("pk", flat=True))
    assert seen == {tickets[key].pk for key in EXPECTED[role]}


@pytest.mark.parametrize("role", ["agent", "fieldman", "account_manager", "supervisor"])
def test_api_list_detail_and_export_respect_scope(world, tickets, api, role):
    user = getattr(world, role)
    api.as_user(world, user)
    visible = {tickets[key].pk for key in EXPECTED[role]}

    listed = api.get("/tickets?page_size=100").json()
    assert {t["id"] for t in listed["items"]} == visible
    assert listed["count"] == len(visible)

    for key, ticket in tickets.items():
        status = api.get(f"/tickets/{ticket.pk}").status_code
        assert status == (200 if ticket.pk in visible else 404), key

    export = b"".join(api.get("/tickets/export.csv").streaming_content).decode("utf-8-sig")
    numbers = {line.split(",")[0] for line in export.splitlines()[1:]}
    assert numbers == {tickets[key].number for key in EXPECTED[role]}


def test_anonymous_and_inactive_users_see_nothing(world, tickets, api):
    from django.contrib.auth.models import AnonymousUser

    assert not Ticket.objects.visible_to(AnonymousUser()).exists()
    headers = world.auth(world.agent)
    world.agent.is_active = False
    world.agent.save(update_fields=["is_active"])
    assert not Ticket.objects.visible_to(world.agent).exists()
    assert api.get("/tickets", **headers).status_code == 401
    assert api.get("/tickets").status_code == 401


def test_change_on_invisible_ticket_is_not_found_not_forbidden(world, tickets, api):
    """Agents of another team learn nothing, not even that the ticket exists."""
    ticket = tickets["team_b"]
    response = api.as_user(world, world.agent).post(f"/tickets/{ticket.pk}/transition",
                                                    {"version": ticket.version, "to": "in_progress"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_qa_reads_but_cannot_change(world, tickets, api):
    ticket = tickets["team_a"]
    api.as_user(world, world.qa)
    assert api.get(f"/tickets/{ticket.pk}").status_code == 200
    response = api.post(f"/tickets/{ticket.pk}/messages", {"kind": "note", "body": "质检意见"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cannot_handle_tickets"
