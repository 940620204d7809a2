"""Query counts of the workspace pages are pinned: they must not grow with the number of tickets (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.tickets import services

pytestmark = pytest.mark.django_db

# The fixed costs: session + user, saved views, the count, the page (ticket types for the filter bar come from
# the per-process type cache), the menu's one check of which industry packs are on …
# If a change adds a query on purpose, raise the pin and say why in the commit.
PINS = {"/tickets/mine/": 6, "/tickets/team/": 6, "/tickets/all/": 6, "/tickets/board/": 10}


def _fill(world, n: int):
    for i in range(n):
        ticket = world.ticket(type="repair", title=f"报修{i}", custom={"fault": "其他"},
                              customer_id=world.customer.pk, team_id=world.team_a.pk,
                              assignee_id=world.agent.pk if i % 2 else None)
        services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="note", body=f"备注{i}")


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", list(PINS))
def test_list_pages_cost_a_fixed_number_of_queries(client, world, path):
    client.force_login(world.lead)
    _fill(world, 3)
    few = _count(client, path)
    _fill(world, 12)
    many = _count(client, path)
    assert few == many, f"{path}: {few} queries with 3 tickets, {many} with 15"
    assert many <= PINS[path], f"{path}: {many} queries, pinned at {PINS[path]}"


def test_ticket_page_does_not_grow_with_its_timeline(client, world):
    client.force_login(world.agent)
    ticket = world.ticket(type="repair", title="漏气", custom={"fault": "其他"}, customer_id=world.customer.pk,
                          team_id=world.team_a.pk, assignee_id=world.agent.pk)
    path = f"/tickets/{ticket.pk}/"
    few = _count(client, path)
    for i in range(10):
        services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body=f"回复{i}")
    services.assign_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version + 10,
                           team_id=world.team_b.pk, assignee_id=world.agent_b.pk)
    many = _count(client, path)
    assert few == many <= 24, (few, many)


def test_field_list_is_fixed(client, world):
    client.force_login(world.fieldman)
    for i in range(4):
        ticket = world.ticket(type="repair", title=f"上门{i}", custom={"fault": "其他"}, team_id=world.team_a.pk,
                              assignee_id=world.agent.pk)
        services.dispatch_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                 team_id=world.crew.pk)
    assert _count(client, "/tickets/field/") <= 6
