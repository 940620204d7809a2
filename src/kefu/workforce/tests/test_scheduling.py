"""Weekly schedules: every roster verified by the independent check, never by the solver's status."""

import json
from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from kefu.workforce import check
from kefu.workforce.scheduling.run import schedule_week
from kefu.workforce.scheduling.setup import Agent, Requirement, SetupError, load_patterns

WEEK = date(2027, 3, 1)

TWO_SHIFTS = """
interval_minutes: 30
shifts:
  - name: 早班
    start: "08:00"
    hours: 9
    breaks: [{after: ["3h30m", "4h30m"], minutes: 60}]
  - name: 晚班
    start: "13:00"
    hours: 9
    breaks: [{after: ["4h", "5h"], minutes: 60}]
"""

THREE_SHIFTS = """
interval_minutes: 30
rules: {min_rest_hours: 11, night: {from: "22:00", to: "06:00"}}
shifts:
  - {name: 早班, start: "07:00", hours: 8, breaks: [{after: ["3h", "4h", "5h"], minutes: 30, paid: true}]}
  - {name: 中班, start: "15:00", hours: 8, breaks: [{after: ["3h", "4h", "5h"], minutes: 30, paid: true}]}
  - {name: 夜班, start: "23:00", end: "07:00", breaks: [{after: ["3h", "4h", "5h"], minutes: 30, paid: true}]}
"""


def need(shape, skill=""):
    """A requirement from a function (day, hour) → agents, on half-hours."""
    grid = np.array([[shape(d, s / 2) for s in range(48)] for d in range(7)], dtype=float)
    return Requirement(week=WEEK, interval_minutes=30, need={skill: grid})


def staff(n, **kw):
    return [Agent(name=f"坐席{i + 1:02d}", **kw) for i in range(n)]


def solve(req, yaml_text, agents, **kw):
    patterns, rules = load_patterns(yaml_text)
    return schedule_week(req, patterns, agents, rules, **kw), patterns, rules


def coverage(result):
    return np.array([c["scheduled"] for c in result["coverage"]]), np.array([c["required"] for c in result["coverage"]])


def test_two_shift_center_is_covered_and_the_check_passes():
    req = need(lambda d, h: (4 if 9 <= h < 21 else 0) * (0.5 if d >= 5 else 1))
    result, _, _ = solve(req, TWO_SHIFTS, staff(20))
    assert result["check"]["ok"], result["check"]["violations"]
    assert result["shortfall_agent_intervals"] == 0 and not result["unfilled"]
    got, wanted = coverage(result)
    assert (got >= wanted).all()


def test_fewest_paid_hours_on_a_flat_day_shift_week():
    yaml_text = "interval_minutes: 30\nshifts:\n  - {name: 白班, start: '09:00', hours: 8}\n" \
                "  - {name: 长白班, start: '08:00', hours: 10}\n"
    req = need(lambda d, h: 2 if d < 5 and 9 <= h < 17 else 0)
    result, _, _ = solve(req, yaml_text, staff(3))
    assert result["paid_hours"] == 80  # 2 agents × 5 days × 8 h: nothing cheaper covers it
    assert result["check"]["ok"] and result["solver"]["gap"] <= 0.01


def test_three_shifts_with_night_shift_crossing_midnight_keep_the_rest_rule():
    req = need(lambda d, h: 2 if 7 <= h < 23 else 1)
    result, _, rules = solve(req, THREE_SHIFTS, staff(16))
    assert result["check"]["ok"], result["check"]["violations"]
    nights = [s for s in result["shifts"] if s["pattern"].startswith("夜班")]
    assert nights and all(s["end"][:10] > s["date"] for s in nights)
    monday_early = [c for c in result["coverage"] if c["start"] < "2027-03-01T07:00"]
    tuesday_early = [c for c in result["coverage"] if "2027-03-02T00:00" <= c["start"] < "2027-03-02T07:00"]
    assert all(c["scheduled"] >= c["required"] for c in tuesday_early)  # covered by Monday's night shift
    assert sum(c["required"] - min(c["scheduled"], c["required"]) for c in monday_early) \
        == result["shortfall_agent_intervals"]  # only the night before the week is uncovered, and reported
    per_agent = Counter(s["agent"] for s in nights)
    assert max(per_agent.values()) - min(per_agent.get(a.name, 0) for a in staff(16)) <= 2  # nights spread


def test_split_shift_covers_two_peaks_with_fewer_paid_hours():
    yaml_text = """
interval_minutes: 30
shifts:
  - {name: 两头班, parts: [["08:00", "12:00"], ["17:00", "21:00"]]}
  - {name: 早班, start: "08:00", hours: 8}
  - {name: 晚班, start: "13:00", hours: 8}
"""
    req = need(lambda d, h: 2 if (8 <= h < 12 or 17 <= h < 21) else 0)
    result, _, _ = solve(req, yaml_text, staff(6))
    assert {s["pattern"] for s in result["shifts"]} == {"两头班"}
    assert result["paid_hours"] == 7 * 2 * 8 and result["check"]["ok"]


def test_skills_are_covered_by_agents_who_have_them():
    voice = need(lambda d, h: 2 if 9 <= h < 18 else 0, "voice").need["voice"]
    chat = need(lambda d, h: 1 if 9 <= h < 18 else 0, "chat").need["chat"]
    req = Requirement(week=WEEK, interval_minutes=30, need={"voice": voice, "chat": chat})
    agents = staff(5, skills=frozenset({"voice"})) + [Agent(name=f"在线{i}", skills=frozenset({"chat"}))
                                                      for i in range(2)] \
        + [Agent(name="全能", skills=frozenset({"voice", "chat"}))]
    yaml_text = "interval_minutes: 30\nshifts:\n  - {name: 白班, start: '09:00', hours: 9}\n"
    result, _, _ = solve(req, yaml_text, agents)
    assert result["check"]["ok"], result["check"]["violations"]
    assert result["shortfall_agent_intervals"] == 0
    for s in result["shifts"]:
        assert set(s["skills"]) <= {a.name: a.skills for a in agents}[s["agent"]]


def test_too_few_agents_leave_a_reported_shortfall_that_the_check_confirms():
    req = need(lambda d, h: 6 if 9 <= h < 21 else 0)
    result, patterns, rules = solve(req, TWO_SHIFTS, staff(4))
    assert result["shortfall_agent_intervals"] > 0
    assert result["check"]["ok"]  # the rules still hold; only coverage is short
    again = check.verify(req=req, patterns=patterns, agents=staff(4), rules=rules, shifts=result["shifts"],
                         declared_shortfall=result["shortfall_agent_intervals"])
    assert again["ok"] and again["shortfall"] == result["shortfall_agent_intervals"]


def test_unavailable_days_and_night_exemptions_are_respected():
    agents = staff(16)
    agents[0].unavailable = frozenset({WEEK + timedelta(days=2)})
    agents[1].no_nights = True
    req = need(lambda d, h: 2 if 7 <= h < 23 else 1)
    result, _, _ = solve(req, THREE_SHIFTS, agents)
    assert result["check"]["ok"]
    assert not [s for s in result["shifts"] if s["agent"] == agents[0].name and s["date"] == "2027-03-03"]
    assert not [s for s in result["shifts"] if s["agent"] == agents[1].name and s["pattern"].startswith("夜班")]


def test_every_agent_gets_two_consecutive_days_off_and_contract_limits():
    req = need(lambda d, h: 5 if 9 <= h < 21 else 0)
    result, _, _ = solve(req, TWO_SHIFTS, staff(12, max_hours=40))
    by_agent = {}
    for s in result["shifts"]:
        by_agent.setdefault(s["agent"], set()).add(date.fromisoformat(s["date"]).weekday())
    for days in by_agent.values():
        assert len(days) <= 5
        assert any(k not in days and k + 1 not in days for k in range(6))


def _shift(agent, day, start, end, pattern="早班", breaks=(), skills=("",)):
    base = datetime.combine(WEEK + timedelta(days=day), datetime.min.time())
    at = lambda m: (base + timedelta(minutes=m)).isoformat(timespec="minutes")  # noqa: E731
    return {"agent": agent, "date": (WEEK + timedelta(days=day)).isoformat(), "pattern": pattern,
            "start": at(start), "end": at(end), "breaks": [{"start": at(a), "end": at(b)} for a, b in breaks],
            "unpaid_break_minutes": sum(b - a for a, b in breaks), "skills": list(skills)}


def test_independent_check_catches_broken_rosters():
    patterns, rules = load_patterns(THREE_SHIFTS)
    req = need(lambda d, h: 1 if 7 <= h < 15 else 0)
    agents = staff(2, max_hours=16)
    agents[1].no_nights = True
    shifts = [
        _shift("坐席01", 0, 23 * 60, 31 * 60, "夜班/0300", [(27 * 60, 27 * 60 + 30)]),
        _shift("坐席01", 1, 7 * 60, 15 * 60, "早班/1100", [(11 * 60, 11 * 60 + 30)]),  # 0 h rest after the night
        _shift("坐席01", 1, 15 * 60, 23 * 60, "中班/1900", [(19 * 60, 19 * 60 + 30)]),  # second shift that day
        _shift("坐席02", 2, 23 * 60, 31 * 60, "夜班/0300", [(27 * 60, 27 * 60 + 30)]),  # exempt from nights
        _shift("坐席02", 3, 8 * 60, 16 * 60, "早班/1100", [(11 * 60, 11 * 60 + 30)]),  # not the pattern's times
        _shift("无名", 4, 7 * 60, 15 * 60),
    ]
    verdict = check.verify(req=req, patterns=patterns, agents=agents, rules=rules, shifts=shifts)
    codes = {v["code"] for v in verdict["violations"]}
    assert {"rest_too_short", "two_shifts_a_day", "too_many_hours", "night_for_day_only_agent", "not_a_pattern",
            "unknown_agent"} <= codes
    assert not verdict["ok"] and verdict["shortfall"] > 0


def test_check_reads_rest_and_days_in_a_row_across_the_week_boundary():
    patterns, rules = load_patterns(THREE_SHIFTS)
    req = need(lambda d, h: 1 if 7 <= h < 15 and d == 0 else 0)
    agents = staff(1)
    # Last week: six days in a row up to Sunday, the Sunday a night shift ending on Monday at 07:00.
    previous = [_shift("坐席01", d, 7 * 60, 15 * 60, "早班/1100", [(11 * 60, 11 * 60 + 30)]) for d in range(-6, -1)]
    previous.append(_shift("坐席01", -1, 23 * 60, 31 * 60, "夜班/0300", [(27 * 60, 27 * 60 + 30)]))
    monday = [_shift("坐席01", 0, 7 * 60, 15 * 60, "早班/1100", [(11 * 60, 11 * 60 + 30)])]
    alone = check.verify(req=req, patterns=patterns, agents=agents, rules=rules, shifts=monday)
    assert alone["ok"], alone["violations"]  # within the week alone nothing is wrong
    verdict = check.verify(req=req, patterns=patterns, agents=agents, rules=rules, shifts=monday, previous=previous)
    found = {v["code"]: v for v in verdict["violations"]}
    assert found["rest_too_short"]["rest_hours"] == 0 and found["rest_too_short"]["date"] == WEEK.isoformat()
    assert found["too_many_days_in_a_row"]["days"] == 7


def test_solver_keeps_rest_and_days_in_a_row_across_the_week_boundary():
    patterns, rules = load_patterns(THREE_SHIFTS)
    req = need(lambda d, h: 1 if 7 <= h < 23 else 0)
    agents = staff(8)
    previous = []
    for a in agents[:3]:  # three agents come off a night shift that ends on Monday at 07:00
        a.prior_end = 7 * 60
        previous.append(_shift(a.name, -1, 23 * 60, 31 * 60, "夜班/0300", [(27 * 60, 27 * 60 + 30)]))
    for a in agents[3:6]:  # three agents have worked six days in a row up to Sunday
        a.prior_run = 6
        previous += [_shift(a.name, d, 7 * 60, 15 * 60, "早班/1100", [(11 * 60, 11 * 60 + 30)])
                     for d in range(-6, 0)]
    result, _, _ = solve(req, THREE_SHIFTS, agents, previous=previous)
    assert result["check"]["ok"], result["check"]["violations"]
    monday = {s["agent"] for s in result["shifts"] if s["date"] == WEEK.isoformat()}
    assert not monday & {a.name for a in agents[3:6]}  # a seventh day in a row is refused
    early = {s["agent"] for s in result["shifts"] if s["date"] == WEEK.isoformat() and s["start"].endswith("07:00")}
    assert not early & {a.name for a in agents[:3]}  # no early shift straight after the night


def test_patterns_yaml_errors_name_the_item():
    with pytest.raises(SetupError) as err:
        load_patterns("shifts:\n  - {name: 早班, start: '8点'}\n")
    assert err.value.field.startswith("patterns.shifts[0]")


def test_cli_schedule_prints_roster_hours_coverage_gap_and_verdict(tmp_path):
    (tmp_path / "p.yaml").write_text(TWO_SHIFTS, encoding="utf-8")
    rows = ["start,required"] + [f"{(datetime(2027, 3, 1) + timedelta(minutes=30 * k)).isoformat()},3"
                                 for k in range(7 * 48) if 18 <= k % 48 < 42]
    (tmp_path / "r.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "a.csv").write_text("name,skills,days_per_week,max_hours,unavailable,no_nights\n" +
                                    "".join(f"坐席{i},,5,40,{'wed' if i == 1 else ''},\n" for i in range(12)))
    out = StringIO()
    call_command("schedule", "--requirements", str(tmp_path / "r.csv"), "--patterns", str(tmp_path / "p.yaml"),
                 "--agents", str(tmp_path / "a.csv"), "--week", "2027-03-01", "--json", stdout=out, stderr=StringIO())
    got = json.loads(out.getvalue())
    assert {"shifts", "paid_hours", "coverage", "solver", "check"} <= set(got)
    assert got["check"]["ok"] and "gap" in got["solver"] and len(got["coverage"]) == 7 * 48
    assert not [s for s in got["shifts"] if s["agent"] == "坐席1" and s["date"] == "2027-03-03"]


@pytest.mark.parametrize(("flag", "value"), [("--week", "2027-03-02"), ("--patterns", "/nonexistent.yaml")])
def test_cli_schedule_refuses_bad_input_naming_the_flag(tmp_path, flag, value):
    for name in ("r.csv", "a.csv", "p.yaml"):
        (tmp_path / name).write_text("x\n")
    args = {"--requirements": str(tmp_path / "r.csv"), "--patterns": str(tmp_path / "p.yaml"),
            "--agents": str(tmp_path / "a.csv"), "--week": "2027-03-01"}
    args[flag] = value
    with pytest.raises(CommandError, match=flag):
        call_command("schedule", *[x for kv in args.items() for x in kv], "--json")
