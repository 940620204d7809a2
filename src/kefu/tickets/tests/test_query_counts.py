"""List endpoints run a fixed number of queries whatever the number of rows (no N+1)."""

import pytest


@pytest.mark.parametrize("rows", [1, 15])
def test_ticket_list_query_count_is_flat(world, api, django_assert_num_queries, rows):
    for i in range(rows):
        world.ticket(title=f"工单 {i}", customer_id=world.customer.pk, assignee_id=world.agent.pk)
    api.as_user(world, world.agent)
    # token lookup, token touch (first use), count, page
    with django_assert_num_queries(4):
        response = api.get("/tickets?page_size=50")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_customer_list_query_count_is_flat(world, api, django_assert_num_queries, rows):
    from kefu.customers.services import ContactInput, CustomerInput, create_customer

    for i in range(rows):
        create_customer(actor=None, data=CustomerInput(name=f"客户{i}", contacts=[
            ContactInput(kind="mobile", value=f"1390000{i:04d}")]))
    api.as_user(world, world.agent)
    # token lookup, token touch, count, page, contacts, references
    with django_assert_num_queries(6):
        response = api.get("/customers?page_size=50")
    assert response.json()["count"] == rows + 1


def test_ticket_detail_query_count_does_not_grow_with_the_timeline(world, api, django_assert_num_queries):
    from kefu.tickets.services import add_message

    ticket = world.ticket()
    api.as_user(world, world.agent)
    api.get("/me")  # first use of the token touches it; keep that out of the count
    with django_assert_num_queries(4) as short:  # token, ticket, events, messages
        api.get(f"/tickets/{ticket.pk}")
    for i in range(10):
        add_message(actor=world.agent, ticket_id=ticket.pk, kind="note", body=f"备注 {i}")
    with django_assert_num_queries(len(short.captured_queries)):
        assert len(api.get(f"/tickets/{ticket.pk}").json()["timeline"]) == 11


def test_my_open_tickets_reads_the_queue_index_in_order(world):
    """The agent's queue is one ordered range of `ticket_my_queue`: no sort of all the agent's tickets."""
    from django.db import connection

    from kefu.tickets.selectors import TicketFilters, list_queryset

    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's planner decides by its statistics")
    qs = list_queryset(world.agent, TicketFilters(assignee_id=world.agent.pk, is_open=True))[:20]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "ticket_my_queue" in plan
    assert "TEMP B-TREE" not in plan
