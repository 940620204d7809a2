"""The independent schedule check: written apart from the solver and trusting nothing it says.

It reads a roster as wall-clock shifts (start, end, breaks, agent, skills) and recomputes from those
times alone: coverage per interval and skill (a maximum flow from the agents on duty to the skills they
have, so one agent never counts twice), and every rule — the pattern really is one of the patterns, one
shift a day, the days and hours of the contract, the minimum rest, the maximum run of working days, two
consecutive days off, availability, night-shift exemptions and skills.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


def _duty(shift: dict) -> list[tuple[datetime, datetime]]:
    """The shift's on-duty periods: start to end with the breaks cut out."""
    start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
    out, at = [], start
    for b in sorted(shift.get("breaks", []), key=lambda b: b["start"]):
        b0, b1 = datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])
        out.append((at, b0))
        at = b1
    out.append((at, end))
    return [(a, b) for a, b in out if b > a]


def _is_night(shift: dict, rules) -> bool:
    for a, b in _duty(shift):
        day = datetime.combine(a.date(), datetime.min.time())
        for base in (day - timedelta(days=1), day, day + timedelta(days=1)):
            lo, hi = base + timedelta(minutes=rules.night_from), base + timedelta(minutes=rules.night_to)
            if a < hi and b > lo:
                return True
    return False


def _pattern_matches(shift: dict, pattern) -> bool:
    """The shift's times are the pattern's, laid on the shift's date."""
    midnight = datetime.combine(date.fromisoformat(shift["date"]), datetime.min.time())
    start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
    if _minutes(midnight, start) != pattern.segments[0][0] or _minutes(midnight, end) != pattern.segments[-1][1]:
        return False
    got = sorted((_minutes(midnight, datetime.fromisoformat(b["start"])),
                  _minutes(midnight, datetime.fromisoformat(b["end"]))) for b in shift.get("breaks", []))
    gaps = [(a[1], b[0]) for a, b in zip(pattern.segments, pattern.segments[1:], strict=False)]
    return got == sorted(gaps) or got == sorted(pattern.breaks)


def _prior_run(previous: list[dict], week: date) -> int:
    """Working days in a row that end on the Sunday before the week (from the previous week's shifts)."""
    dates = {date.fromisoformat(s["date"]) for s in previous}
    run = 0
    while week - timedelta(days=run + 1) in dates:
        run += 1
    return run


def _rule_violations(agent, shifts: list[dict], rules, week: date, patterns: dict,
                     previous: list[dict] = ()) -> list[dict]:
    """Every labour rule and personal limit for one agent's shifts of the week.

    `previous` are the agent's shifts before the week (the published roster of the week before): the rest
    after the last of them and the run of working days reaching into this week are checked across the boundary.
    """
    out = []

    def bad(code, shift=None, **detail):
        out.append({"code": code, "agent": agent.name, "date": shift["date"] if shift else None, **detail})

    ordered = sorted(shifts, key=lambda s: s["start"])
    for day, n in Counter(s["date"] for s in ordered).items():
        if n > 1:
            bad("two_shifts_a_day", {"date": day}, count=n)
    chain = sorted(previous, key=lambda s: s["start"])[-1:] + ordered
    for prev, nxt in zip(chain, chain[1:], strict=False):
        rest = _minutes(datetime.fromisoformat(prev["end"]), datetime.fromisoformat(nxt["start"]))
        if rest < rules.min_rest_hours * 60:
            bad("rest_too_short", nxt, rest_hours=round(rest / 60, 2))
    dates = sorted({date.fromisoformat(s["date"]) for s in ordered})
    if len(dates) > agent.days_per_week:
        bad("too_many_days", days=len(dates), limit=agent.days_per_week)
    paid = 0.0
    for s in ordered:
        span = _minutes(datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        paid += (span - s.get("unpaid_break_minutes", 0)) / 60
        pattern = patterns.get(s["pattern"])
        if pattern is None or not _pattern_matches(s, pattern):
            bad("not_a_pattern", s, pattern=s["pattern"])
        if date.fromisoformat(s["date"]) in agent.unavailable:
            bad("unavailable", s)
        if agent.no_nights and _is_night(s, rules):
            bad("night_for_day_only_agent", s)
        wanted = set(s.get("skills") or []) - {""}
        if wanted - set(agent.skills) or (pattern is not None and pattern.skill and pattern.skill not in agent.skills):
            bad("missing_skill", s, skills=sorted(wanted - set(agent.skills)))
    if paid > agent.max_hours + 1e-6:
        bad("too_many_hours", hours=round(paid, 2), limit=agent.max_hours)
    run = _prior_run(previous, week)
    longest = 0
    for k in range(7):
        run = run + 1 if week + timedelta(days=k) in dates else 0
        longest = max(longest, run)
    if longest > rules.max_consecutive_days:
        bad("too_many_days_in_a_row", days=longest)
    if rules.consecutive_days_off and agent.days_per_week <= 5:
        free = [week + timedelta(days=k) not in dates for k in range(7)]
        if not any(free[k] and free[k + 1] for k in range(6)):
            bad("no_two_days_off_in_a_row")
    return out


def _covered(req, shifts: list[dict], skills: list[str]) -> np.ndarray:
    """Agents that can be counted for the requirement per interval (max flow over skills when several)."""
    step = req.interval_minutes
    begin = datetime.combine(req.week, datetime.min.time())
    total = 7 * (1440 // step)
    on = defaultdict(lambda: np.zeros(total))  # skill set → agents on duty per interval
    for s in shifts:
        key = frozenset(s.get("skills") or [""]) if skills != [""] else frozenset({""})
        for a, b in _duty(s):
            first = int(np.ceil(_minutes(begin, a) / step))
            last = int(_minutes(begin, b) // step)
            on[key][max(first, 0):max(min(last, total), 0)] += 1
    need = np.array([req.need[k].reshape(-1) for k in skills])
    if skills == [""]:
        return np.minimum(on[frozenset({""})], need[0]) if on else np.zeros(total)
    kinds = sorted(on, key=sorted)
    served = np.zeros(total)
    size = 2 + len(kinds) + len(skills)
    for t in range(total):
        if need[:, t].sum() == 0:
            continue
        rows, cols, caps = [], [], []
        for i, kind in enumerate(kinds):
            if on[kind][t]:
                rows.append(0), cols.append(1 + i), caps.append(int(on[kind][t]))
                for j, k in enumerate(skills):
                    if k in kind:
                        rows.append(1 + i), cols.append(1 + len(kinds) + j), caps.append(10**6)
        for j in range(len(skills)):
            if need[j, t]:
                rows.append(1 + len(kinds) + j), cols.append(size - 1), caps.append(int(need[j, t]))
        graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(size, size))
        served[t] = maximum_flow(graph, 0, size - 1).flow_value
    return served


def verify(*, req, patterns, agents, rules, shifts: list[dict], declared_shortfall: float | None = None,
           previous: list[dict] = ()) -> dict:
    """The verdict on a roster: rule violations (none means ok) and the uncovered agent-intervals.

    `previous`: shifts worked before the week (wall-clock dicts like `shifts`), for the rules that cross the
    week boundary — the minimum rest and the maximum run of working days.
    """
    by_name = {a.name: a for a in agents}
    pattern_by_name = {p.name: p for p in patterns}
    violations = []
    mine = defaultdict(list)
    for s in shifts:
        if s["agent"] not in by_name:
            violations.append({"code": "unknown_agent", "agent": s["agent"], "date": s["date"]})
        else:
            mine[s["agent"]].append(s)
    for name, own in mine.items():
        violations += _rule_violations(by_name[name], own, rules, req.week, pattern_by_name,
                                       [p for p in previous if p["agent"] == name])
    skills = sorted(req.need)
    served = _covered(req, shifts, skills)
    needed = sum(req.need[k].reshape(-1) for k in skills)
    shortfall = float(np.maximum(needed - served, 0).sum())
    if declared_shortfall is not None and declared_shortfall + 1e-6 < shortfall:
        violations.append({"code": "shortfall_understated", "agent": None, "date": None,
                           "declared": declared_shortfall, "found": shortfall})
    return {"ok": not violations, "violations": violations, "shortfall": shortfall,
            "intervals_short": int((needed - served > 1e-9).sum())}
