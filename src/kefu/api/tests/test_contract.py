"""Under /api/ every answer has the documented JSON error shape with a stable code, whatever the input.

Each of these inputs used to crash (500), answer HTML, or be read in a surprising way.
"""

import io
import json

import pytest
from django.test import RequestFactory

from kefu.accounts.models import ApiToken
from kefu.accounts.services import revoke_token
from kefu.api.middleware import TOO_LARGE_KEY, ApiContractMiddleware, ChunkedBodyLimit
from kefu.briefing.models import Briefing
from kefu.phrases.models import Phrase
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _error(response, status, code, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code, error
    if field is not None:
        assert error.get("field") == field, error
    return error


def test_a_write_without_a_token_is_401_not_a_csrf_403(client, world):
    response = client.post("/api/v1/tickets", data={"type": "inquiry", "title": "x"}, content_type="application/json")
    _error(response, 401, "unauthenticated")
    assert not Ticket.objects.exists()


def test_a_write_with_a_revoked_token_is_401(api, world):
    api.as_user(world, world.agent)
    revoke_token(actor=None, token=ApiToken.objects.get(user=world.agent))
    _error(api.post("/tickets", {"type": "inquiry", "title": "x"}), 401, "unauthenticated")
    assert not Ticket.objects.exists()


def test_a_browser_session_write_still_needs_its_csrf_token(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.agent)
    response = browser.post("/api/v1/tickets", data={"type": "inquiry", "title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("path", ["/nowhere", "/tickets/abc", "/tickets/12/nowhere"])
def test_unknown_routes_and_non_integer_ids_are_json_404(api, world, path):
    api.as_user(world, world.agent)
    _error(api.get(path), 404, "not_found")


def test_a_wrong_method_is_json_405_naming_the_allowed_ones(api, world):
    api.as_user(world, world.agent)
    error = _error(api.put("/tickets", {}), 405, "method_not_allowed")
    assert "POST" in error["params"]["allowed"]


def test_an_unexpected_exception_is_json_500():
    request = RequestFactory().get("/api/v1/tickets")
    response = ApiContractMiddleware(lambda r: None).process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"


def test_a_missing_field_named_body_is_named(api, world):
    api.as_user(world, world.lead)
    _error(api.post("/phrases", {"title": "问候"}), 422, "required", "body")
    assert not Phrase.objects.filter(title="问候").exists()


def _chunked(body: bytes, limit: int) -> dict:
    """The environ that the app behind ChunkedBodyLimit receives for a chunked body (no Content-Length)."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/tickets", "HTTP_TRANSFER_ENCODING": "chunked",
               "wsgi.input": io.BytesIO(body)}
    seen = {}
    ChunkedBodyLimit(lambda env, start: seen.update(env) or [])(environ, None)
    return seen


def test_a_chunked_body_over_the_limit_is_marked_and_answered_413(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    seen = _chunked(b"x" * 3000, 1000)
    assert seen[TOO_LARGE_KEY] and seen["CONTENT_LENGTH"] == "0"
    api.as_user(world, world.agent)
    _error(api.post("/tickets", {"type": "inquiry", "title": "x"}, **{TOO_LARGE_KEY: True}), 413, "body_too_large",
           "body")
    assert not Ticket.objects.exists()


def test_a_chunked_body_under_the_limit_is_handed_on_with_its_length(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    seen = _chunked(b'{"title": "x"}', 1000)
    assert TOO_LARGE_KEY not in seen
    assert seen["CONTENT_LENGTH"] == "14" and seen["wsgi.input"].read() == b'{"title": "x"}'


def test_an_id_past_64_bits_in_the_path_is_404(api, world):
    api.as_user(world, world.agent)
    _error(api.get(f"/tickets/{2**64}"), 404, "not_found")


@pytest.mark.parametrize("query, field", [(f"page={2**70}", "page"), ("page=1000000000000", "page"),
                                          (f"customer={2**63}", "customer")])
def test_huge_numbers_in_the_query_string_are_422(api, world, query, field):
    api.as_user(world, world.agent)
    _error(api.get(f"/tickets?{query}"), 422, "out_of_range", field)


def test_a_huge_number_in_the_body_is_422(api, world):
    api.as_user(world, world.agent)
    _error(api.post("/tickets", {"type": "inquiry", "title": "x", "priority": 2**70}), 422, "out_of_range", "priority")
    assert not Ticket.objects.exists()


def test_a_lone_surrogate_is_422(api, world):
    api.as_user(world, world.agent)
    response = api.post("/tickets", '{"type": "inquiry", "title": "x\\ud800"}')
    _error(response, 422, "invalid_character", "title")
    assert not Ticket.objects.exists()


def test_a_nul_character_in_text_is_422(api, world):
    api.as_user(world, world.agent)
    _error(api.post("/tickets", {"type": "inquiry", "title": "a\x00b"}), 422, "nul_character", "title")
    _error(api.get("/tickets?q=a%00b"), 422, "nul_character", "q")
    assert not Ticket.objects.exists()


def test_nan_is_refused(api, world):
    api.as_user(world, world.agent)
    _error(api.post("/tickets", '{"type": "inquiry", "title": "x", "priority": NaN}'), 422, "invalid_number",
           "priority")


def test_zero_is_not_false(api, world):
    api.as_user(world, world.lead)
    _error(api.post("/phrases", {"title": "t", "body": "b", "active": 0}), 422, "invalid", "active")
    assert not Phrase.objects.filter(title="t").exists()


def test_a_number_is_not_a_date(api, world):
    api.as_user(world, world.lead)
    _error(api.post("/briefings", {"day": 0}), 422, "invalid", "day")
    assert not Briefing.objects.exists()


def test_an_array_is_not_an_object_body(api, world):
    api.as_user(world, world.lead)
    _error(api.post("/briefings", [None, None]), 422, "invalid", "body")
    assert not Briefing.objects.exists()


def test_a_deadline_past_the_calendar_is_422(api, world):
    api.as_user(world, world.agent)
    _error(api.get("/sla/deadline?start=2026-01-05T09:00:00%2B08:00&target=999999wd"), 422, "target_too_far",
           "target")


@pytest.mark.parametrize("query, code", [("start=0001-01-01&end=9999-12-31", "out_of_range"),
                                         ("start=2000-01-01&end=2026-01-01", "range_too_long")])
def test_report_date_ranges_out_of_reach_are_422(api, world, query, code):
    api.as_user(world, world.supervisor)
    _error(api.get(f"/reports/callbacks?{query}"), 422, code)


def test_an_unauthenticated_write_is_401_whatever_its_body(client, world):
    response = client.post("/api/v1/tickets", data={}, content_type="application/json")
    _error(response, 401, "unauthenticated")
    response = client.post("/api/v1/tickets", data={"type": "inquiry", "title": "x", "priority": "high"},
                           content_type="application/json", HTTP_AUTHORIZATION="Bearer revoked-or-made-up")
    _error(response, 401, "unauthenticated")
