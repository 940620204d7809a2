"""What the list pages' speed-ups must not change: the chosen filters stay selected, labels follow the language."""

import pytest
from django.utils import translation

from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_filter_bar_keeps_every_choice_selected(client, world):
    client.force_login(world.agent)
    page = client.get("/tickets/all/", {"type": "repair", "priority": "3", "channel": "wechat", "sla": "breached",
                                        "tier": "vip", "status": "resolved", "q": "漏气"},
                      follow=True).content.decode()
    for option in ('value="repair" selected', 'value="3" selected', 'value="wechat" selected',
                   'value="breached" selected', 'value="vip" selected', 'value="resolved" selected'):
        assert option in page, option
    assert 'name="q" value="漏气"' in page
    assert page.count(" selected") == 6
    assert client.get("/tickets/all/").content.decode().count(" selected") == 0


def test_choice_labels_follow_the_active_language(client, world):
    ticket = world.ticket(title="燃气费", channel="wechat", priority=3, team_id=world.team_a.pk,
                          assignee_id=world.agent.pk)
    expected = (("zh-hans", "已分派", "微信", "高"), ("en", "Assigned", "WeChat", "High"))
    for language, status, channel, priority in expected:
        with translation.override(language):
            assert (ticket.get_status_display(), ticket.get_channel_display(),
                    ticket.get_priority_display()) == (status, channel, priority)
    assert Ticket(status="gone", priority=9).get_status_display() == "gone"
    client.force_login(world.agent)
    page = client.get("/tickets/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "WeChat" in page and ">High<" in page


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_short_time_prints_what_the_date_filter_printed(zone):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import timezone

    page = Template('{% load kefu %}{{ v|date:"m-d H:i" }}|{{ v|short_time }}')
    with timezone.override(zone):
        for moment in (dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC),
                       None):
            before, after = page.render(Context({"v": moment})).split("|")
            assert before == after, (zone, moment)


@pytest.fixture
def spread(world):
    """Tickets across the routing a queue filters on: assignees, teams, a customer, a dispatch, closed ones."""
    from kefu.tickets.services import dispatch_ticket, transition_ticket

    made = []
    for i in range(7):
        made.append(world.ticket(by=world.agent if i % 2 else world.agent_b, title=f"工单 {i}", priority=1 + i % 4,
                                 team_id=(world.team_a if i % 2 else world.team_b).pk,
                                 assignee_id=(world.agent if i % 2 else world.agent_b).pk if i % 3 else None,
                                 customer_id=world.customer.pk if i % 3 == 1 else None))
    repair = world.ticket(by=world.agent_b, type="repair", title="派给维修组的", custom={"fault": "其他"})
    dispatch_ticket(actor=world.agent_b, ticket_id=repair.pk, version=repair.version, team_id=world.crew.pk)
    done = made[1]
    transition_ticket(actor=world.agent, ticket_id=done.pk, version=done.version, to="resolved")
    return made


@pytest.mark.parametrize("who", ["agent", "agent_b", "lead", "supervisor", "fieldman", "account_manager", "qa"])
def test_queue_pages_list_exactly_what_the_orm_lists(world, spread, who):
    from kefu.tickets.schemas import ticket_out
    from kefu.tickets.selectors import TicketFilters, list_queryset, ticket_page

    user = getattr(world, who)
    shapes = [TicketFilters(assignee_id=user.pk, is_open=True), TicketFilters(team_id=world.team_a.pk, is_open=True),
              TicketFilters(is_open=True), TicketFilters(), TicketFilters(dispatched_team_id=world.crew.pk),
              TicketFilters(priority=2, customer_id=world.customer.pk), TicketFilters(is_open=False),
              TicketFilters(status=["new", "assigned"])]  # the last through the ORM as before
    for filters in shapes:
        queryset = list_queryset(user, filters)
        for page in (1, 2):
            count, items = ticket_page(user, filters, page=page, page_size=3)
            expected = queryset.select_related("ticket_type", "team", "assignee", "customer", "dispatched_team")
            assert count == queryset.count(), filters
            assert [ticket_out(t) for t in items] == [ticket_out(t) for t in expected[(page - 1) * 3:page * 3]]


def test_the_queue_never_reads_the_customers_id_number(world, client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.ticket(title="燃气费", customer_id=world.customer.pk, assignee_id=world.agent.pk)
    client.force_login(world.agent)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/mine/").content.decode()
    assert world.customer.name in page
    assert not [q for q in queries if "id_number" in q["sql"]]


def test_people_of_one_role_each_see_their_own_queue(world, spread):
    from kefu.tickets import selectors

    pages = {user: selectors.ticket_page(user, selectors.TicketFilters(is_open=True))
             for user in (world.agent, world.agent_b)}
    for user, (count, items) in pages.items():
        visible = Ticket.objects.visible_to(user).filter(is_open=True)
        assert count == visible.count() and {t.pk for t in items} <= set(visible.values_list("pk", flat=True))
    assert pages[world.agent][0] != pages[world.agent_b][0]
