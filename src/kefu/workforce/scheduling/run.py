"""A whole week's schedule: stage 1 (pattern counts), stage 2 (named roster), coverage and the check."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta

import numpy as np

from kefu.workforce import check
from kefu.workforce.scheduling.roster import assign
from kefu.workforce.scheduling.setup import Agent, Pattern, Requirement, Rules
from kefu.workforce.scheduling.shifts import plan_shifts


def _at(week: date, day: int, minute: int) -> datetime:
    return datetime.combine(week, datetime.min.time()) + timedelta(days=day, minutes=minute)


def shift_out(week: date, day: int, pattern: Pattern, agent: str, skills: list[str]) -> dict:
    """A shift as the roster shows it: wall-clock start, end and breaks (a night shift ends the next day)."""
    breaks = [{"start": _at(week, day, s).isoformat(timespec="minutes"),
               "end": _at(week, day, e).isoformat(timespec="minutes")} for s, e in pattern.breaks]
    unpaid = (pattern.end - pattern.start) - pattern.paid_minutes
    return {"agent": agent, "date": (week + timedelta(days=day)).isoformat(), "pattern": pattern.name,
            "start": _at(week, day, pattern.start).isoformat(timespec="minutes"),
            "end": _at(week, day, pattern.end).isoformat(timespec="minutes"),
            "breaks": breaks, "unpaid_break_minutes": unpaid, "paid_hours": pattern.paid_minutes / 60,
            "skills": skills}


def coverage_of(req: Requirement, shifts: list[dict]) -> dict[str, np.ndarray]:
    """Agents on duty per interval of the week (all skills together), from the shifts' wall-clock times."""
    slots = 7 * req.slots
    on = np.zeros(slots)
    begin = datetime.combine(req.week, datetime.min.time())
    step = req.interval_minutes
    for s in shifts:
        start = (datetime.fromisoformat(s["start"]) - begin).total_seconds() / 60
        end = (datetime.fromisoformat(s["end"]) - begin).total_seconds() / 60
        cuts = sorted(((datetime.fromisoformat(b["start"]) - begin).total_seconds() / 60,
                       (datetime.fromisoformat(b["end"]) - begin).total_seconds() / 60) for b in s["breaks"])
        pieces, at = [], start
        for b0, b1 in cuts:
            pieces.append((at, b0))
            at = b1
        pieces.append((at, end))
        for a, b in pieces:
            first, last = int(-(-a // step)), int(b // step)
            on[max(first, 0):max(min(last, slots), 0)] += 1
    return {"": on.reshape(7, req.slots)}


def schedule_week(req: Requirement, patterns: list[Pattern], agents: list[Agent], rules: Rules, *,
                  holidays: set[date] | None = None, cancelled: Callable[[], bool] | None = None,
                  progress: Callable[[str, float], None] | None = None, previous: list[dict] = ()) -> dict:
    """Solve the week and return the roster, paid hours, coverage per interval, solver figures and the check.

    `previous`: the shifts worked before the week (wall-clock dicts), which the check reads for the rules that
    cross the week boundary; the agents' `prior_end` / `prior_run` carry the same facts to the solver.
    """
    began = time.monotonic()
    say = (lambda stage: (lambda gap: progress(stage, gap))) if progress else (lambda stage: None)
    if progress:
        progress("shifts", 1.0)
    plan = plan_shifts(req, patterns, agents, rules, cancelled=cancelled, progress=say("shifts"))
    if progress:
        progress("roster", 1.0)
    chosen, unfilled, roster_solve = assign(plan, patterns, agents, rules, req.week, holidays=holidays,
                                            cancelled=cancelled, progress=say("roster"))
    shifts = [shift_out(req.week, s.day, patterns[s.pattern], agents[s.agent].name, sorted(plan.groups[s.group]))
              for s in chosen]
    need = sum(req.need.values())
    on = coverage_of(req, shifts)[""]
    verdict = check.verify(req=req, patterns=patterns, agents=agents, rules=rules, shifts=shifts, previous=previous)
    coverage = []
    for d in range(7):
        for s in range(req.slots):
            at = _at(req.week, d, s * req.interval_minutes).isoformat(timespec="minutes")
            coverage.append({"start": at, "required": int(need[d, s]), "scheduled": int(on[d, s]),
                             "gap": int(on[d, s] - need[d, s])})
    return {
        "week": req.week.isoformat(), "interval_minutes": req.interval_minutes,
        "paid_hours": round(sum(s["paid_hours"] for s in shifts), 2),
        "planned_paid_hours": round(sum(patterns[p].paid_minutes / 60 * n for (_, _, p), n in plan.counts.items()), 2),
        "shifts": shifts,
        "unfilled": [{"date": (req.week + timedelta(days=d)).isoformat(), "pattern": patterns[p].name,
                      "skills": sorted(plan.groups[g]), "count": n} for g, d, p, n in unfilled],
        "shortfall_agent_intervals": verdict["shortfall"],
        "coverage": coverage,
        "solver": {"shifts": asdict(plan.solve), "roster": asdict(roster_solve), "gap": plan.solve.gap,
                   "seconds": round(time.monotonic() - began, 2)},
        "check": verdict,
    }
