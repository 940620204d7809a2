"""Calendar arithmetic across Spring Festival, National Day with 调休, lunch breaks, block ends and overrides."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kefu.sla.calendar import Target, WorkCalendar, parse_hours, simple_calendar

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def office():
    return simple_calendar("09:00-12:00,13:00-18:00")


def test_the_issue_example_national_day_with_make_up_saturday(office):
    # 2026-10-01..07 off; Saturday 10-10 is a make-up working day: 10-08, 10-09, 10-10.
    assert office.deadline(at("2026-09-30T16:00"), Target.parse("3wd")) == at("2026-10-10T18:00")


def test_make_up_sunday_before_national_day_counts(office):
    # Sunday 2026-09-20 is a working day (调休); arrival on Saturday 09-19 → first working day is the Sunday.
    assert office.deadline(at("2026-09-19T10:00"), Target.parse("1wd")) == at("2026-09-20T18:00")
    assert office.blocks_on(dt.date(2026, 9, 19)) == []


def test_spring_festival_2026(office):
    # 2026 Spring Festival: 02-15..02-23 off, Saturday 02-14 and Saturday 02-28 are working days.
    assert office.blocks_on(dt.date(2026, 2, 14)) == parse_hours("09:00-12:00,13:00-18:00")
    assert office.blocks_on(dt.date(2026, 2, 18)) == []
    assert office.deadline(at("2026-02-13T17:00"), Target.parse("2h")) == at("2026-02-14T10:00")
    assert office.deadline(at("2026-02-14T17:30"), Target.parse("1h")) == at("2026-02-24T09:30")


def test_lunch_break_is_not_counted(office):
    assert office.deadline(at("2026-11-23T11:30"), Target.parse("1h")) == at("2026-11-23T13:30")
    assert office.deadline(at("2026-11-23T11:30"), Target.parse("30m")) == at("2026-11-23T12:00")


def test_start_outside_open_hours(office):
    assert office.deadline(at("2026-11-23T07:10"), Target.parse("30m")) == at("2026-11-23T09:30")
    assert office.deadline(at("2026-11-23T12:20"), Target.parse("30m")) == at("2026-11-23T13:30")
    assert office.deadline(at("2026-11-23T19:00"), Target.parse("4h")) == at("2026-11-24T14:00")
    # Friday evening → Monday
    assert office.deadline(at("2026-11-27T18:30"), Target.parse("1h")) == at("2026-11-30T10:00")


def test_exact_block_end(office):
    # A target that ends exactly when a block closes ends then, not at the next opening.
    assert office.deadline(at("2026-11-23T09:00"), Target.parse("3h")) == at("2026-11-23T12:00")
    assert office.deadline(at("2026-11-23T12:00"), Target.parse("1m")) == at("2026-11-23T13:01")
    assert office.deadline(at("2026-11-23T18:00"), Target.parse("5h")) == at("2026-11-24T15:00")


def test_working_days_do_not_count_the_arrival_day(office):
    assert office.deadline(at("2026-11-23T08:00"), Target.parse("1wd")) == at("2026-11-24T18:00")
    assert office.deadline(at("2026-11-27T10:00"), Target.parse("3wd")) == at("2026-12-02T18:00")


def test_working_minutes_between_matches_add_minutes(office):
    start = at("2026-09-29T10:17")
    for minutes in (1, 59, 300, 481, 2000, 5000):
        end = office.add_minutes(start, minutes)
        assert office.working_minutes_between(start, end) == pytest.approx(minutes)
    assert office.working_minutes_between(at("2026-11-23T18:00"), at("2026-11-23T09:00")) == -480


def test_overrides_win_over_package_and_week():
    calendar = simple_calendar()
    calendar.overrides = {dt.date(2026, 11, 24): [], dt.date(2026, 11, 28): parse_hours("10:00-12:00")}
    assert calendar.deadline(at("2026-11-23T17:00"), Target.parse("2h")) == at("2026-11-25T10:00")
    assert calendar.deadline(at("2026-11-27T18:00"), Target.parse("1h")) == at("2026-11-28T11:00")


def test_unknown_year_is_a_visible_warning_not_a_silent_guess(office):
    due = office.deadline(at("2026-12-31T17:00"), Target.parse("1wd"))
    assert due == at("2027-01-01T18:00")  # computed on the weekly rule …
    assert any("2027" in w for w in office.warnings)  # … and said so
    known = simple_calendar()
    known.overrides = {dt.date(2027, 1, 1): []}
    assert known.deadline(at("2026-12-31T17:00"), Target.parse("1wd")) == at("2027-01-04T18:00")
    assert known.warnings == set()  # an override in 2027 means the administrator entered that year
    assert office.warnings_between(at("2026-12-31T17:00"), due) == [next(iter(office.warnings))]
    covered = simple_calendar()
    assert covered.deadline(at("2026-11-23T17:00"), Target.parse("3wd")) == at("2026-11-26T18:00")
    assert covered.warnings == set()


def test_24x7_hotline():
    hotline = WorkCalendar(tz=SH, weekly={}, always_open=True, cn_holidays=False)
    assert hotline.deadline(at("2026-10-01T23:30"), Target.parse("4h")) == at("2026-10-02T03:30")
    assert hotline.deadline(at("2026-10-01T23:30"), Target.parse("1wd")) == at("2026-10-03T00:00")


def test_time_zone_of_the_input_is_respected(office):
    utc_start = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    assert office.deadline(utc_start, Target.parse("30m")) == at("2026-11-23T09:30")


@pytest.mark.parametrize("bad", ["", "3", "3d", "-1h", "0m", "h", "3 weeks"])
def test_bad_targets_are_refused(bad):
    with pytest.raises(ValueError):
        Target.parse(bad)


@pytest.mark.parametrize("bad", ["9-12", "12:00-09:00", "09:00-12:00,11:00-13:00", "25:00-26:00"])
def test_bad_hours_are_refused(bad):
    with pytest.raises(ValueError):
        parse_hours(bad)
