"""`kefu ticket create|show|transition` call the same services as the API."""

import json

import pytest
from django.core.management import CommandError, call_command

from kefu.tickets.models import Ticket


def run(capsys, *args):
    call_command("ticket", *args)
    return json.loads(capsys.readouterr().out)


def test_create_show_transition(world, capsys):
    created = run(capsys, "create", "--as", "agent", "--type", "repair", "--title", "热水器打不着火",
                  "--phone", "13812345678", "--field", "fault=无法使用", "--location", "城东路2号")
    assert created["status"] == "new" and created["team"]["id"] == world.team_a.pk
    assert created["contact_phone"] == "138****5678"
    moved = run(capsys, "transition", str(created["id"]), "--to", "in_progress", "--version", "1", "--as", "agent")
    assert moved["status"] == "in_progress" and moved["version"] == 2
    shown = run(capsys, "show", str(created["id"]))
    assert [e["code"] for e in shown["timeline"]] == ["created", "status_changed"]


def test_cli_refusals_name_code_and_field(world, capsys):
    with pytest.raises(CommandError, match=r"required \[custom.fault\]"):
        call_command("ticket", "create", "--type", "repair", "--title", "x")
    ticket = world.ticket()
    with pytest.raises(CommandError, match="stale_version"):
        call_command("ticket", "transition", str(ticket.pk), "--to", "closed", "--version", "7")
    with pytest.raises(CommandError, match="not_found"):
        call_command("ticket", "show", str(ticket.pk), "--as", "agent_b")
    assert Ticket.objects.get(pk=ticket.pk).status == "new"
