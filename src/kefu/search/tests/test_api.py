"""GET /api/v1/search and `kefu search reindex`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from kefu.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_search_api_returns_ranked_hits_with_marked_snippets(world, api):
    ticket = world.ticket(title="投诉维修人员超时未上门", description="客户投诉 <img src=x onerror=alert(1)>")
    body = api.as_user(world, world.agent).get("/search?q=投诉").json()
    assert body["total"] == 1 and not body["capped"]
    hit = body["hits"][0]
    assert (hit["kind"], hit["id"], hit["number"]) == ("ticket", ticket.pk, ticket.number)
    assert "<mark>投诉</mark>" in hit["title"] and "<img" not in hit["snippet"] and "&lt;img" in hit["snippet"]


def test_search_api_filters_by_kind(world, api):
    world.ticket(title="王小明来电")
    body = api.as_user(world, world.agent).get("/search?q=王小明&kind=customer").json()
    assert [h["kind"] for h in body["hits"]] == ["customer"]


@pytest.mark.parametrize("path, code, field", [
    ("/search?q=" + "投" * 201, "too_long", "q"),
    ("/search?q=x&kind=memo", "invalid_choice", "kind"),
    ("/search?q=x&type=nope", "unknown_type", "type"),
    ("/search", "required", "q"),
])
def test_bad_search_input_is_422_naming_the_field(world, api, path, code, field):
    response = api.as_user(world, world.agent).get(path)
    assert response.status_code == 422
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (code, field)


def test_search_api_needs_a_login(world, api):
    assert api.get("/search?q=投诉").status_code == 401


def test_reindex_rebuilds_everything_and_drops_stale_rows(world):
    world.ticket(title="燃气灶打不着火")
    SearchDocument.objects.filter(kind="ticket").update(title_words="", body_words="", grams="")
    SearchDocument.objects.create(kind="ticket", object_id=999_999, title="gone", indexed_at="2020-01-01T00:00Z")
    out, err = StringIO(), StringIO()
    call_command("search", "reindex", "--batch", "1", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["indexed"] == {"ticket": 1, "customer": 1, "article": 0}
    assert "ticket: 1/1" in err.getvalue()
    assert not SearchDocument.objects.filter(object_id=999_999).exists()
    from kefu.search.selectors import search

    assert search(world.agent, "燃气灶").total == 1
