"""Retention schedules (issue 26 item 11): past its time the person leaves closed tickets, call recordings'
references and chat transcripts; the records stay for the statistics; newer and open ones are untouched."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kefu.audit.models import AuditEntry
from kefu.chat.models import ChatMessage, Conversation, Widget
from kefu.cti.models import Call
from kefu.ops import retention
from kefu.tickets.models import Ticket, TicketMessage
from kefu.tickets.services.messages import add_message

NOW = timezone.now()


def _closed(world, *, days_ago: int, **kwargs) -> Ticket:
    ticket = world.ticket(reporter_name="王小明", location="城东路1号", description="家里燃气味很重", **kwargs)
    add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="您好，王先生，13812341234 已登记")
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", closed_at=NOW - dt.timedelta(days=days_ago))
    return Ticket.objects.get(pk=ticket.pk)


def _chat(world, *, days_ago: int, key: str) -> Conversation:
    widget = Widget.objects.get_or_create(name="官网", team=world.team_a)[0]
    chat = Conversation.objects.create(widget=widget, team=world.team_a, visitor_key=key, visitor_name="李女士",
                                       visitor_phone="13912345678", state=Conversation.State.ENDED, rating=5,
                                       rating_comment="李女士很满意", first_question="我的账单",
                                       ended_at=NOW - dt.timedelta(days=days_ago))
    ChatMessage.objects.create(conversation=chat, seq=1, kind=ChatMessage.Kind.CUSTOMER, body="我叫李四，住在西湖路")
    return chat


@override_settings(KEFU_RETAIN_TICKET_DAYS=1095, KEFU_RETAIN_RECORDING_DAYS=180, KEFU_RETAIN_CHAT_DAYS=365)
def test_each_schedule_removes_the_person_past_its_time_and_keeps_the_statistics(world):
    old, recent = _closed(world, days_ago=1200), _closed(world, days_ago=30)
    still_open = world.ticket(description="四年前开的工单仍未关闭")
    Ticket.objects.filter(pk=still_open.pk).update(created_at=NOW - dt.timedelta(days=1500))
    old_call = Call.objects.create(call_id="c1", agent=world.agent, caller="13812341234", recording="rec/2019/1.wav",
                                   rang_at=NOW - dt.timedelta(days=200), state="ended")
    new_call = Call.objects.create(call_id="c2", agent=world.agent, caller="13812341234", recording="rec/2026/2.wav",
                                   rang_at=NOW - dt.timedelta(days=10), state="ended")
    old_chat, new_chat = _chat(world, days_ago=400, key="k1"), _chat(world, days_ago=5, key="k2")
    assert retention.due(NOW)["tickets"]["due"] == 1

    result = retention.apply_schedules(now=NOW)

    old.refresh_from_db()
    assert (old.contact_phone, old.reporter_name, old.location, old.description) == ("", "", "", retention.REMOVED)
    assert old.status == "closed" and old.ticket_type_id and old.team_id == recent.team_id  # still counted
    assert set(TicketMessage.objects.filter(ticket=old).values_list("body", flat=True)) == {retention.REMOVED}
    recent.refresh_from_db()
    assert recent.contact_phone == "13812341234" and recent.reporter_name == "王小明"
    assert "13812341234" in TicketMessage.objects.filter(ticket=recent).first().body
    assert Ticket.objects.get(pk=still_open.pk).description == "四年前开的工单仍未关闭"
    old_call.refresh_from_db()
    new_call.refresh_from_db()
    assert old_call.recording == "" and new_call.recording == "rec/2026/2.wav" and old_call.state == "ended"
    old_chat.refresh_from_db()
    assert (old_chat.visitor_name, old_chat.visitor_phone, old_chat.rating_comment) == ("", "", "")
    assert old_chat.rating == 5  # the satisfaction figure stays
    assert ChatMessage.objects.get(conversation=old_chat).body == retention.REMOVED
    assert ChatMessage.objects.get(conversation=new_chat).body == "我叫李四，住在西湖路"
    assert result.counts["tickets"] == 1 and result.counts["recordings"] == 1 and result.counts["chats"] == 1

    entry = AuditEntry.objects.get(action="retention_applied")
    assert entry.params["counts"]["tickets"] == 1 and "王小明" not in json.dumps(entry.params, ensure_ascii=False)
    # A second run finds nothing more and writes nothing more.
    assert not retention.apply_schedules(now=NOW).removed_anything
    assert AuditEntry.objects.filter(action="retention_applied").count() == 1


@override_settings(KEFU_RETAIN_TICKET_DAYS=0, KEFU_RETAIN_RECORDING_DAYS=0, KEFU_RETAIN_CHAT_DAYS=0)
def test_zero_days_keeps_everything(world):
    old = _closed(world, days_ago=5000)
    assert not retention.apply_schedules(now=NOW).removed_anything
    old.refresh_from_db()
    assert old.reporter_name == "王小明"


@override_settings(KEFU_RETAIN_TICKET_DAYS=30)
def test_the_command_shows_what_is_due_and_applies_it(world):
    _closed(world, days_ago=40)
    out = StringIO()
    call_command("retention", "show", stdout=out)
    assert json.loads(out.getvalue())["tickets"]["due"] == 1
    out = StringIO()
    call_command("retention", "apply", stdout=out)
    assert json.loads(out.getvalue())["counts"]["tickets"] == 1


def test_negative_days_are_refused_at_start():
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import kefu.settings"], capture_output=True, text=True,
                          env={**os.environ, "KEFU_RETAIN_CHAT_DAYS": "-1"})
    assert done.returncode != 0 and "KEFU_RETAIN_" in done.stderr


pytestmark = pytest.mark.django_db
