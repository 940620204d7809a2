"""The deadline arithmetic through the command line and the API."""

import json

import pytest
from django.core.management import CommandError, call_command


def test_cli_prints_the_issue_example_as_json(db, capsys):
    call_command("sla", "deadline", "--start", "2026-09-30T16:00", "--target", "3wd",
                 "--hours", "09:00-12:00,13:00-18:00", "--holidays", "cn", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["due"] == "2026-10-10T18:00:00+08:00"
    assert result["warnings"] == []


def test_cli_stored_calendar_and_warning(db, capsys):
    call_command("sla", "deadline", "--start", "2026-12-31T10:00", "--target", "1wd", "--calendar", "标准工作日")
    captured = capsys.readouterr()
    assert "2027-01-01T18:00:00+08:00" in captured.out
    assert "no holiday data for 2027" in captured.err


def test_cli_refuses_bad_target(db):
    with pytest.raises(CommandError, match=r"invalid_target \[target\]"):
        call_command("sla", "deadline", "--start", "2026-09-30T16:00", "--target", "3 days")


def test_api_deadline(world, api):
    api.as_user(world, world.agent)
    ok = api.get("/sla/deadline?start=2026-09-30T16:00:00%2B08:00&target=4h&calendar=标准工作日").json()
    assert ok["due"] == "2026-10-08T11:00:00+08:00"
    hotline = api.get("/sla/deadline?start=2026-09-30T16:00:00%2B08:00&target=4h&calendar=7×24 热线").json()
    assert hotline["due"] == "2026-09-30T20:00:00+08:00"
    bad = api.get("/sla/deadline?start=2026-09-30T16:00:00&target=4h&hours=9-18")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "hours"
    unknown = api.get("/sla/deadline?start=2026-09-30T16:00:00&target=4h&calendar=nope")
    assert unknown.status_code == 404
