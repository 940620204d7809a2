"""Optimistic concurrency: a stale version is refused with 409 saying who changed what; nothing is overwritten."""

import pytest

from kefu.core.errors import Conflict
from kefu.tickets import services
from kefu.tickets.models import Ticket
from kefu.tickets.services.common import save


def test_second_agent_with_stale_version_gets_409_naming_the_first(world, api):
    ticket = world.ticket(type="repair", custom={"fault": "其他"})
    seen_version = ticket.version
    first = api.as_user(world, world.lead).patch(f"/tickets/{ticket.pk}", {"version": seen_version, "priority": 4})
    assert first.status_code == 200
    second = api.as_user(world, world.agent).patch(f"/tickets/{ticket.pk}",
                                                   {"version": seen_version, "priority": 1},
                                                   HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "stale_version" and error["field"] == "version"
    assert "lead" in error["message"] and "字段变更" in error["message"]
    assert error["params"]["current_version"] == seen_version + 1
    assert error["params"]["changes"][0]["by_id"] == world.lead.pk
    assert error["params"]["changes"][0]["fields"] == ["priority"]
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_stale_transition_is_refused_in_english_too(world, api):
    ticket = world.ticket()
    services.transition_ticket(actor=world.lead, ticket_id=ticket.pk, version=1, to="in_progress")
    response = api.as_user(world, world.agent).post(f"/tickets/{ticket.pk}/transition",
                                                    {"version": 1, "to": "closed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "changed by lead" in response.json()["error"]["message"]
    assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"


def test_conditional_update_refuses_when_two_writers_passed_the_version_check(world):
    """The race the early check cannot see: both read version 1; the second UPDATE must match no row."""
    ticket = world.ticket()
    copy_a = Ticket.objects.get(pk=ticket.pk)
    copy_b = Ticket.objects.get(pk=ticket.pk)
    save(copy_a, 1, {"priority": 4})
    with pytest.raises(Conflict):
        save(copy_b, 1, {"priority": 1})
    assert Ticket.objects.get(pk=ticket.pk).priority == 4


def test_reply_with_stale_version_is_refused_but_without_version_appends(world):
    ticket = world.ticket()
    services.transition_ticket(actor=world.lead, ticket_id=ticket.pk, version=1, to="in_progress")
    with pytest.raises(Conflict):
        services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="您好", version=1)
    assert ticket.messages.count() == 0
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="您好，已为您登记")
    assert ticket.messages.count() == 1
    assert Ticket.objects.get(pk=ticket.pk).version == 3


def test_version_is_required_on_updates(world, api):
    ticket = world.ticket()
    response = api.as_user(world, world.agent).patch(f"/tickets/{ticket.pk}", {"priority": 4})
    assert response.status_code == 422
    assert response.json()["error"] == {**response.json()["error"], "code": "required", "field": "version"}
