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


def test_missing_holiday_year_is_shown_for_the_calendar(world, api):
    import datetime as dt

    from django.core.checks import run_checks

    from kefu.sla.models import BusinessCalendar
    from kefu.sla.services import set_override

    office = BusinessCalendar.objects.get(name="标准工作日")
    assert office.holiday_gaps(dt.date(2026, 11, 23)) == [2027]
    assert office.holiday_gaps(dt.date(2025, 5, 1)) == []
    listed = {c["name"]: c for c in api.as_user(world, world.agent).get("/sla/calendars").json()}
    assert listed["7×24 热线"]["missing_holiday_years"] == []
    warnings = [m for m in run_checks(databases=["default"]) if m.id == "kefu.sla.W001"]
    if dt.date.today().year + 1 > 2026:  # the package covers 2004–2026
        assert any(w.obj == office for w in warnings)
    set_override(actor=world.admin, calendar=office, date=dt.date(2027, 1, 1), is_open=False, note="元旦")
    assert office.holiday_gaps(dt.date(2026, 11, 23)) == []
