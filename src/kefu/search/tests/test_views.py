"""The search page: full page or htmx partial, escaped snippets, nothing a role may not see."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_page_shows_marked_hits_and_links_tickets(world, client):
    ticket = world.ticket(title="投诉维修人员超时未上门", description="客户留言 <script>alert(1)</script> 很生气")
    client.force_login(world.agent)
    response = client.get("/search/", {"q": "投诉 很生气"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert f'href="/tickets/{ticket.pk}/"' in html and "<mark>投诉</mark>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_htmx_request_gets_only_the_results(world, client):
    world.ticket(title="燃气表有异响")
    client.force_login(world.agent)
    response = client.get("/search/", {"q": "气表"}, HTTP_HX_REQUEST="true", follow=True)
    html = response.content.decode()
    assert "<html" not in html and 'data-testid="results"' in html and "气表</mark>" in html


def test_search_page_hides_other_teams_tickets(world, client):
    world.ticket(by=world.agent_b, title="二班的秘密工单")
    client.force_login(world.agent)
    html = client.get("/search/", {"q": "秘密"}, follow=True).content.decode()
    assert "二班的秘密工单" not in html and 'data-testid="total"' in html


def test_bad_kind_is_422_with_the_message(world, client):
    client.force_login(world.agent)
    response = client.get("/search/", {"q": "x", "kind": "memo"}, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 422


def test_search_page_needs_a_login(client):
    assert client.get("/search/", {"q": "投诉"}).status_code == 302
