"""Search never shows what a role may not see: not the hit, not the snippet, not even in the count."""

import pytest

from kefu.accounts.models import User
from kefu.search.indexing import DocumentInput, index_document, remove_document
from kefu.search.models import Audience
from kefu.search.selectors import search
from kefu.tickets.services import dispatch_ticket

pytestmark = pytest.mark.django_db


def kinds(page):
    return sorted((h.kind, h.object_id) for h in page.hits)


@pytest.fixture
def tickets(world):
    """One team-A ticket about a secret gas leak for the VIP customer, one team-B ticket, dispatched to the crew."""
    a = world.ticket(by=world.agent, title="秘密泄漏调查", description="地下管网 secretleak",
                     customer_id=world.customer.pk)
    b = world.ticket(by=world.agent_b, title="秘密泄漏复查", description="二班 secretleak")
    b = dispatch_ticket(actor=world.agent_b, ticket_id=b.pk, version=b.version, team_id=world.crew.pk)
    return a, b


@pytest.mark.parametrize("role, expected", [
    ("agent", {"a"}), ("agent_b", {"b"}), ("lead", {"a"}), ("qa", {"a", "b"}), ("supervisor", {"a", "b"}),
    ("fieldman", {"b"}), ("account_manager", {"a"}), ("admin", {"a", "b"}),
])
def test_each_role_finds_only_the_tickets_it_may_see(world, tickets, role, expected):
    a, b = tickets
    page = search(getattr(world, role), "秘密泄漏", kinds=["ticket"])
    assert {"a" if h.object_id == a.pk else "b" for h in page.hits} == expected
    assert page.total == len(expected)


def test_an_invisible_tickets_snippet_and_count_never_show(world, tickets):
    page = search(world.agent_b, "地下管网")
    assert page.total == 0 and page.hits == []
    page = search(world.agent_b, "secretleak")
    assert page.total == 1 and "地下管网" not in page.hits[0].snippet


def test_field_crew_finds_only_customers_of_work_dispatched_to_it(world, tickets):
    assert search(world.fieldman, "王小明", kinds=["customer"]).total == 0
    assert search(world.agent, "王小明", kinds=["customer"]).total == 1


def test_anonymous_and_inactive_users_find_only_public_articles(world, tickets):
    index_document(DocumentInput(kind="article", object_id=7, title="燃气泄漏怎么办", body="立即关闭总阀，开窗通风。",
                                 audience=Audience.PUBLIC))
    index_document(DocumentInput(kind="article", object_id=8, title="燃气泄漏内部处置口径", body="内部答复口径",
                                 audience=Audience.INTERNAL))
    assert kinds(search(None, "泄漏")) == [("article", 7)]
    User.objects.filter(pk=world.supervisor.pk).update(is_active=False)
    world.supervisor.refresh_from_db()
    assert kinds(search(world.supervisor, "泄漏")) == [("article", 7)]
    assert ("article", 8) in kinds(search(world.agent, "泄漏"))
    remove_document(kind="article", object_id=8)
    assert ("article", 8) not in kinds(search(world.agent, "泄漏"))


def test_search_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    for i in range(3):
        world.ticket(title=f"燃气灶打不着火 {i}")
    search(world.agent, "燃气灶")  # counts the index's documents, once a minute per process
    # The candidates, their token columns for scoring, the page's documents, and its tickets checked against
    # visible_to.
    with django_assert_num_queries(4):
        small = search(world.agent, "燃气灶")
    for i in range(12):
        world.ticket(title=f"燃气灶打不着火 {i}")
    with django_assert_num_queries(4):
        large = search(world.agent, "燃气灶")
    with django_assert_num_queries(3):  # the supervisor's page needs no check
        search(world.supervisor, "燃气灶")
    assert (small.total, large.total) == (3, 15)


def test_candidates_stop_at_the_cap_and_the_count_says_so(world, monkeypatch):
    from kefu.search import selectors

    for i in range(6):
        world.ticket(title=f"断网投诉 {i}")
    monkeypatch.setattr(selectors, "CANDIDATES", 4)
    page = search(world.agent, "断网", page_size=2)
    assert (page.total, page.capped, len(page.hits)) == (4, True, 2)
    assert search(world.agent, "断网", page=3, page_size=2).hits == []


def test_a_long_candidate_list_is_pre_ranked_by_the_database(world, monkeypatch):
    from kefu.search import selectors

    made = [world.ticket(title="宽带报修", description="客户反映断网" if i else "").pk for i in range(5)]
    best = world.ticket(title="断网 断网 断网", description="断网").pk
    monkeypatch.setattr(selectors, "RESCORED", 2)
    page = search(world.supervisor, "断网")
    assert page.total == 5 and page.hits[0].object_id == best and made[0] not in [h.object_id for h in page.hits]
