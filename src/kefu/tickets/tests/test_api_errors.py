"""Bad input gets 4xx with a stable code, the field named, in the request's language — and changes nothing."""

import pytest

from kefu.tickets.models import Ticket, TicketEvent


@pytest.fixture
def agent_api(world, api):
    return api.as_user(world, world.agent)


def _assert_refused(response, status, code, field, *, tickets_before, events_before):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error.get("field") == field
    assert Ticket.objects.count() == tickets_before
    assert TicketEvent.objects.count() == events_before
    return error


CASES = [
    ({"type": "nonsense", "title": "x"}, 422, "unknown_type", "type"),
    ({"type": "repair", "title": "燃气表坏了"}, 422, "required", "custom.fault"),
    ({"type": "repair", "title": "燃气表坏了", "custom": {"fault": "爆炸"}}, 422, "invalid_choice", "custom.fault"),
    ({"type": "inquiry", "title": "x", "custom": {"color": "red"}}, 422, "unknown_field", "custom.color"),
    ({"type": "inquiry", "title": "x", "contact_phone": "12345678901"}, 422, "invalid_phone", "contact_phone"),
    ({"type": "inquiry", "title": "  "}, 422, "required", "title"),
    ({"type": "inquiry", "title": "x" * 201}, 422, "too_long", "title"),
    ({"type": "inquiry", "title": "x", "channel": "pigeon"}, 422, "invalid_choice", "channel"),
    ({"type": "inquiry", "title": "x", "priority": 9}, 422, "invalid_choice", "priority"),
    ({"type": "inquiry", "title": "x", "assignee_id": 999999}, 422, "invalid_assignee", "assignee_id"),
    ({"type": "inquiry", "title": "x", "customer_id": 999999}, 422, "unknown_customer", "customer_id"),
    ({"title": "no type"}, 422, "required", "type"),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), CASES)
def test_bad_ticket_input_is_refused_and_changes_nothing(world, agent_api, body, status, code, field):
    before = Ticket.objects.count(), TicketEvent.objects.count()
    _assert_refused(agent_api.post("/tickets", body), status, code, field,
                    tickets_before=before[0], events_before=before[1])


def test_error_message_follows_the_request_language(world, agent_api):
    body = {"type": "inquiry", "title": "x", "contact_phone": "abc"}
    zh = agent_api.post("/tickets", body, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["error"]["message"]
    en = agent_api.post("/tickets", body, HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    default = agent_api.post("/tickets", body).json()["error"]["message"]
    assert en == "This is not a valid phone number."
    assert zh != en and any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert default == zh  # Chinese first


def test_transition_not_allowed_names_the_statuses(world, agent_api):
    ticket = world.ticket()
    before = Ticket.objects.count(), TicketEvent.objects.count()
    response = agent_api.post(f"/tickets/{ticket.pk}/transition", {"version": 1, "to": "callback"},
                              HTTP_ACCEPT_LANGUAGE="en")
    error = _assert_refused(response, 422, "transition_not_allowed", "to",
                            tickets_before=before[0], events_before=before[1])
    assert error["params"] == {"from": "new", "to": "callback"}
    assert "New" in error["message"] and "Callback" in error["message"]


def test_malformed_json_is_400(world, agent_api):
    before = Ticket.objects.count(), TicketEvent.objects.count()
    response = agent_api.post("/tickets", '{"type": "inquiry", "title": ')
    _assert_refused(response, 400, "malformed_json", "body", tickets_before=before[0], events_before=before[1])


def test_oversize_body_is_413(world, agent_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = Ticket.objects.count(), TicketEvent.objects.count()
    body = {"type": "inquiry", "title": "x", "description": "很长" * 10_000}
    _assert_refused(agent_api.post("/tickets", body), 413, "body_too_large", "body",
                    tickets_before=before[0], events_before=before[1])


def test_wrong_json_type_names_the_field(world, agent_api):
    before = Ticket.objects.count(), TicketEvent.objects.count()
    response = agent_api.post("/tickets", {"type": "inquiry", "title": "x", "priority": "high"})
    _assert_refused(response, 422, "invalid", "priority", tickets_before=before[0], events_before=before[1])


def test_good_ticket_is_created_with_masked_phone_and_timeline(world, agent_api):
    response = agent_api.post("/tickets", {
        "type": "repair", "title": "燃气表不走字", "contact_phone": "138-1234-5678", "channel": "phone",
        "location": "城东路1号", "reporter_name": "王先生", "custom": {"fault": "计量异常"},
        "customer_id": world.customer.pk,
    })
    assert response.status_code == 201
    data = response.json()
    assert data["contact_phone"] == "138****5678"
    assert data["status"] == "new" and data["team"]["id"] == world.team_a.pk
    assert [e["code"] for e in data["timeline"]] == ["created"]
    assert Ticket.objects.get(pk=data["id"]).contact_phone == "13812345678"
