"""The contract other apps build on: codes registered per app, listeners in the declared order, visible_to(action)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from kefu.callbacks.events import CallbackEventCode
from kefu.sla.events import SlaEventCode
from kefu.tickets import events
from kefu.tickets.listeners import ORDER
from kefu.tickets.models import EventCode, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_event_code_column_lists_no_apps_codes_so_a_new_app_never_migrates_tickets():
    assert not TicketEvent._meta.get_field("code").choices


def test_each_app_registers_its_own_codes_and_labels_come_from_the_registry():
    assert events.owner(EventCode.CREATED) == "tickets"
    assert events.owner(CallbackEventCode.CALLBACK_OUTCOME) == "callbacks"
    assert events.owner(SlaEventCode.ESCALATED) == "sla"
    assert "sla_breached" in events.codes_of("sla") and "created" not in events.codes_of("sla")
    assert events.label("callback_outcome") == str(CallbackEventCode.CALLBACK_OUTCOME.label)
    assert events.label("from_a_removed_app") == "from_a_removed_app"


def test_a_code_cannot_belong_to_two_apps():
    class Clash(models.TextChoices):
        CREATED = "created", "Created"

    with pytest.raises(ImproperlyConfigured, match="tickets"):
        events.register_codes("intruder", Clash)
    assert events.owner("created") == "tickets"


def test_emitting_an_unregistered_code_is_refused_and_writes_nothing(world):
    ticket = world.ticket()
    before = TicketEvent.objects.count()
    with pytest.raises(ValueError, match="register_codes"):
        events.emit(ticket, "not_a_code", actor=None, at=timezone.now())
    assert TicketEvent.objects.count() == before


def test_an_app_missing_from_the_declared_order_cannot_listen():
    with pytest.raises(ImproperlyConfigured, match="ORDER"):
        events.listen("intruder", lambda ticket, event: None)


def test_listeners_run_in_declared_order_and_hear_events_written_inside_them_afterwards(world, monkeypatch):
    ticket = world.ticket()
    heard: list[tuple[str, str]] = []
    depth = {"now": 0}

    def recorder(app):
        def fn(t, event):
            depth["now"] += 1
            assert depth["now"] == 1, "a listener was entered while another was running"
            heard.append((app, event.code))
            if app == ORDER[0] and event.code == EventCode.NOTE_ADDED:
                events.emit(t, EventCode.LINKED, actor=None, at=event.created_at)
            depth["now"] -= 1
        return fn

    monkeypatch.setattr(events, "_listeners", [])
    for app in reversed(ORDER):  # registered backwards, heard in ORDER all the same
        events.listen(app, recorder(app), codes=[EventCode.NOTE_ADDED, EventCode.LINKED])
    events.emit(ticket, EventCode.NOTE_ADDED, actor=None, at=timezone.now())
    assert heard == [(app, "note_added") for app in ORDER] + [(app, "linked") for app in ORDER]


def test_a_listener_hears_only_the_codes_it_asked_for(world, monkeypatch):
    ticket = world.ticket()
    heard = []
    monkeypatch.setattr(events, "_listeners", [])
    events.listen(ORDER[0], lambda t, e: heard.append(e.code), codes=[EventCode.REPLIED])
    events.emit(ticket, EventCode.NOTE_ADDED, actor=None, at=timezone.now())
    assert heard == []


def test_visible_to_takes_an_action_and_view_stays_the_default(world):
    ticket = world.ticket()
    assert list(Ticket.objects.visible_to(world.qa).filter(pk=ticket.pk)) == [ticket]
    assert list(Ticket.objects.visible_to(world.qa, "view").filter(pk=ticket.pk)) == [ticket]
    # QA reads every ticket but changes none; the agent who opened it may change it.
    assert not Ticket.objects.visible_to(world.qa, "change").filter(pk=ticket.pk).exists()
    assert Ticket.objects.visible_to(world.agent, "change").filter(pk=ticket.pk).exists()
    with pytest.raises(ValueError, match="action"):
        Ticket.objects.visible_to(world.agent, "delete")


def test_visible_to_reads_the_user_each_time_never_a_cached_answer(world):
    ticket = world.ticket(by=world.agent)
    assert Ticket.objects.visible_to(world.agent_b).filter(pk=ticket.pk).exists() is False
    world.agent_b.team = world.agent.team
    assert Ticket.objects.visible_to(world.agent_b).filter(pk=ticket.pk).exists() is True
