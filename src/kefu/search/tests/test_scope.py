"""Access tokens in the index: a role's search is the index's answer, and that answer is exactly visible_to."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.accounts.models import User
from kefu.search import pending
from kefu.search.models import PendingDocument, SearchDocument
from kefu.search.scope import EVERYTHING, Access, access_for
from kefu.search.selectors import search
from kefu.tickets.models import Ticket
from kefu.tickets.services import TicketInput, assign_ticket, create_ticket, dispatch_ticket

pytestmark = pytest.mark.django_db

ROLES = ("agent", "agent_b", "handler", "info_desk", "lead", "qa", "supervisor", "fieldman", "account_manager",
         "admin")


def ids(page):
    return {h.object_id for h in page.hits if h.kind == "ticket"}


@pytest.fixture
def routed(world):
    """Tickets routed every way visible_to tells apart: own team, other team, assigned across, no team, dispatched."""
    made = [
        world.ticket(by=world.agent, title="巡检工单 本班"),
        world.ticket(by=world.agent_b, title="巡检工单 二班"),
        world.ticket(by=world.handler, title="巡检工单 转派", team_id=world.team_b.pk, assignee_id=world.agent_b.pk),
        create_ticket(actor=None, data=TicketInput(type="inquiry", title="巡检工单 无班组")),
        world.ticket(by=world.agent_b, title="巡检工单 客户经理", customer_id=world.customer.pk),
    ]
    crew = world.ticket(by=world.agent_b, title="巡检工单 派单")
    made.append(dispatch_ticket(actor=world.agent_b, ticket_id=crew.pk, version=crew.version, team_id=world.crew.pk))
    return [t.pk for t in made]


def test_roles_that_see_everything_search_without_tokens_and_agents_with_theirs(world):
    assert access_for(world.supervisor) == EVERYTHING
    agent = access_for(world.agent)
    assert set(agent.tokens) == {"article", "customer", f"team{world.team_a.pk}", f"assignee{world.agent.pk}",
                                 f"creator{world.agent.pk}"}
    assert f"dispatched{world.team_a.pk}" in access_for(world.lead).tokens
    assert access_for(world.fieldman, ["ticket"]) == Access(tokens=(f"dispatched{world.crew.pk}",))
    assert access_for(world.supervisor, ["ticket"]) == Access(tokens=("ticket",))
    assert access_for(None) == Access(tokens=("public",))


def test_a_scope_the_index_cannot_express_falls_back_to_checking_each_match(world):
    # The account manager also sees tickets of the customers they manage (a join), the field crew customers of
    # work dispatched to it (a subquery): neither is a token of the document.
    assert access_for(world.account_manager) is None
    assert access_for(world.fieldman) is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kinds", [None, ["ticket"]])
def test_each_role_finds_exactly_the_tickets_visible_to_it(world, routed, role, kinds):
    user = getattr(world, role)
    expected = set(Ticket.objects.visible_to(user).filter(pk__in=routed).values_list("pk", flat=True))
    page = search(user, "巡检工单", kinds=kinds)
    assert ids(page) == expected
    assert page.total == len(expected)


def test_an_agents_search_is_answered_by_the_index_alone(world, routed):
    with CaptureQueriesContext(connection) as queries:
        page = search(world.agent, "巡检工单")
    count, rank = queries.captured_queries[:2]
    assert "tickets_ticket" not in count["sql"] and "tickets_ticket" not in rank["sql"]
    assert ids(page) == {routed[0]} and page.total == 1


def test_a_ticket_moved_to_another_team_leaves_the_old_teams_search_at_once(world):
    ticket = world.ticket(by=world.handler, title="燃气表漏气复查")
    assert ids(search(world.agent, "漏气复查")) == {ticket.pk}
    assert search(world.agent_b, "漏气复查").total == 0
    assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_b.pk,
                  assignee_id=None)
    gone = search(world.agent, "漏气复查")
    assert (gone.total, gone.hits) == (0, [])
    assert ids(search(world.agent_b, "漏气复查")) == {ticket.pk}
    assert ids(search(world.handler, "漏气复查")) == {ticket.pk}  # the creator keeps seeing it


def test_a_reassignment_rewrites_who_may_see_the_ticket_before_its_text_is_indexed_again(world, settings):
    """Ticket text is indexed after the commit (kefu.search.pending); visibility cannot wait for it."""
    settings.SEARCH_INDEX_INLINE = False
    ticket = world.ticket(by=world.handler, title="燃气表漏气复查")
    pending.drain()
    ticket = assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_b.pk,
                           assignee_id=world.agent_b.pk)
    assert PendingDocument.objects.filter(object_id=ticket.pk).exists()  # the text: not written yet
    assert search(world.agent, "漏气复查").total == 0
    assert ids(search(world.agent_b, "漏气复查")) == {ticket.pk}
    dispatch_ticket(actor=world.agent_b, ticket_id=ticket.pk, version=ticket.version, team_id=world.crew.pk)
    assert ids(search(world.fieldman, "漏气复查", kinds=["ticket"])) == {ticket.pk}


def test_a_ticket_assigned_across_teams_is_found_by_its_assignee_and_the_new_team(world):
    ticket = world.ticket(by=world.agent, title="阀门更换预约")
    ticket = assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version, team_id=world.team_b.pk,
                           assignee_id=world.agent_b.pk)
    assert ids(search(world.agent_b, "阀门更换")) == {ticket.pk}
    assert ids(search(world.agent, "阀门更换")) == {ticket.pk}  # its creator
    assert search(world.info_desk, "阀门更换").total == 0  # team A, neither creator nor assignee
    dispatch_ticket(actor=world.agent_b, ticket_id=ticket.pk, version=ticket.version, team_id=world.crew.pk)
    assert ids(search(world.fieldman, "阀门更换", kinds=["ticket"])) == {ticket.pk}


def test_a_ticket_rerouted_around_the_services_is_never_shown_from_a_stale_index(world):
    ticket = world.ticket(by=world.handler, title="电表箱锈蚀")
    Ticket.objects.filter(pk=ticket.pk).update(team=world.team_b)  # no event, so no re-indexing
    page = search(world.agent, "锈蚀")
    assert page.hits == []
    assert page.total == 1  # the count is the index's: the services keep it current, nothing else does


def test_a_user_moved_to_another_team_searches_that_teams_tickets(world):
    team_a = world.ticket(by=world.handler, title="管道改线申请 一班")
    team_b = world.ticket(by=world.agent_b, title="管道改线申请 二班")
    assert ids(search(world.info_desk, "管道改线")) == {team_a.pk}
    User.objects.filter(pk=world.info_desk.pk).update(team=world.team_b)
    world.info_desk.refresh_from_db()
    assert ids(search(world.info_desk, "管道改线")) == {team_b.pk}


@pytest.mark.django_db(transaction=True)
def test_the_migration_writes_the_tokens_of_documents_indexed_before_it(world):
    ticket = world.ticket(by=world.handler, title="旧索引里的工单")
    try:
        call_command("migrate", "search", "0003_pending", verbosity=0)
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, "search_document")}
        assert "scope" not in columns
    finally:
        call_command("migrate", "search", verbosity=0)
    row = SearchDocument.objects.get(kind="ticket", object_id=ticket.pk)
    assert set(row.scope.split()) == {"ticket", f"team{world.team_a.pk}", f"creator{world.handler.pk}"}
    assert ids(search(world.agent, "旧索引")) == {ticket.pk}
    assert search(world.agent_b, "旧索引").total == 0
    assert ids(search(world.supervisor, "旧索引")) == {ticket.pk}
    assert ids(search(world.account_manager, "旧索引")) == set()
