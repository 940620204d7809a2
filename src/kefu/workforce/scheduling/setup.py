"""Scheduling inputs: shift patterns (YAML), agents (CSV), the requirement curve (CSV), and the rules.

A pattern is one way to work one day: its on-duty segments in minutes from that day's midnight (a night
shift runs past 1,440, a split shift has two segments) with its breaks cut out. Generators in the YAML
(`starts: {from, to, every}`, a list of `hours`, a list of break offsets) expand into many patterns.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import yaml

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Cancelled(Exception):
    """The caller asked a long solve to stop."""


class SetupError(ValueError):
    """Unusable scheduling input; `field` names the file and item (e.g. patterns.shifts[2].start)."""

    def __init__(self, message: str, field: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def minutes_of(text, field: str) -> int:
    """'08:30' → 510; '4h', '4h30m', '90m', 90 (minutes) → minutes."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return int(round(text))
    raw = str(text).strip().lower()
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", raw):
        return int(m[1]) * 60 + int(m[2])
    if (m := re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+)m(?:in)?)?", raw)) and (m[1] or m[2]):
        return int(round(float(m[1] or 0) * 60)) + int(m[2] or 0)
    raise SetupError(f"cannot read {text!r} as a time or a duration", field)


@dataclass(frozen=True)
class Rules:
    """Labour rules and model settings (defaults are what a Chinese center would start from)."""

    interval_minutes: int = 15
    min_rest_hours: float = 11.0
    max_consecutive_days: int = 6
    consecutive_days_off: bool = True
    night_from: int = 22 * 60  # a shift with duty inside [night_from, night_to) counts as a night shift
    night_to: int = 6 * 60 + 1440
    time_limit_s: float = 30.0
    mip_gap: float = 0.01


@dataclass(frozen=True)
class Pattern:
    """One day's shift: on-duty segments and breaks in minutes from the day's midnight, paid minutes."""

    name: str
    segments: tuple[tuple[int, int], ...]  # work periods, breaks already cut out
    breaks: tuple[tuple[int, int], ...]
    paid_minutes: int
    days: tuple[int, ...] = tuple(range(7))
    skill: str = ""  # a pattern reserved for one skill; "" = any

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def night(self, rules: Rules) -> bool:
        """Whether any duty falls in the night window (on this day or the early hours before it)."""
        windows = ((rules.night_from, rules.night_to), (rules.night_from - 1440, rules.night_to - 1440))
        return any(s < hi and e > lo for s, e in self.segments for lo, hi in windows)


@dataclass
class Agent:
    """A named agent with the contract and wishes the roster must respect."""

    name: str
    skills: frozenset[str] = frozenset()
    days_per_week: int = 5
    max_hours: float = 40.0
    min_hours: float = 0.0
    unavailable: frozenset[date] = frozenset()
    no_nights: bool = False
    prefers: frozenset[str] = frozenset()
    nights_so_far: int = 0
    weekends_so_far: int = 0
    # Across the week boundary: when the last shift before the week ended (minutes from the week's Monday
    # 00:00, negative on the Sunday, positive for a night shift ending on Monday) and the working days in a
    # row up to that Sunday.
    prior_end: int | None = None
    prior_run: int = 0

    def rested(self, pattern: Pattern, rules: Rules) -> bool:
        """Whether the pattern on the week's first day leaves the minimum rest after the last shift before."""
        return self.prior_end is None or pattern.start - self.prior_end >= rules.min_rest_hours * 60


@dataclass
class Requirement:
    """Agents needed per interval of the week for each skill ('' when skills are not used)."""

    week: date
    interval_minutes: int
    need: dict[str, np.ndarray] = field(default_factory=dict)  # skill → 7 × slots

    @property
    def slots(self) -> int:
        return 1440 // self.interval_minutes


def _segments(parts, breaks, field: str):
    work = []
    for s, e in parts:
        if e <= s:
            e += 1440  # crosses midnight
        work.append((s, e))
    cut = []
    for b_start, b_end in breaks:
        for s, e in list(work):
            if s <= b_start and b_end <= e:
                work.remove((s, e))
                work += [x for x in ((s, b_start), (b_end, e)) if x[1] > x[0]]
                cut.append((b_start, b_end))
                break
        else:
            raise SetupError("break falls outside the shift", field)
    work.sort()
    return tuple(work), tuple(sorted(cut))


def _expand(item: dict, i: int) -> list[Pattern]:
    """All patterns one YAML shift entry stands for (generators multiply out)."""
    where = f"patterns.shifts[{i}]"
    name = str(item.get("name") or f"shift{i + 1}")
    days = tuple(DAY_NAMES.index(d.lower()[:3]) for d in item.get("days", DAY_NAMES))
    skill = str(item.get("skill") or "")
    if "parts" in item:
        parts_options = [[(minutes_of(a, f"{where}.parts"), minutes_of(b, f"{where}.parts")) for a, b in item["parts"]]]
    else:
        if "starts" in item:
            gen = item["starts"]
            lo, hi = minutes_of(gen["from"], f"{where}.starts"), minutes_of(gen["to"], f"{where}.starts")
            every = minutes_of(gen.get("every", "15m"), f"{where}.starts")
            starts = list(range(lo, hi + 1, max(every, 1)))
        elif "start" in item:
            starts = [minutes_of(item["start"], f"{where}.start")]
        else:
            raise SetupError("give start, starts or parts", where)
        if "end" in item:
            lengths = [None]
        else:
            hours = item.get("hours")
            if hours is None:
                raise SetupError("give hours or end", where)
            lengths = [minutes_of(f"{h}h" if isinstance(h, int | float) else h, f"{where}.hours")
                       for h in (hours if isinstance(hours, list) else [hours])]
        parts_options = []
        for s in starts:
            for length in lengths:
                e = minutes_of(item["end"], f"{where}.end") if length is None else s + length
                parts_options.append([(s, e)])
    out = []
    for parts in parts_options:
        base_start = parts[0][0]
        break_sets = [[]]
        for b in item.get("breaks", []):
            offsets = b.get("after")
            offsets = offsets if isinstance(offsets, list) else [offsets]
            length = minutes_of(b.get("minutes", 60), f"{where}.breaks")
            break_sets = [bs + [(base_start + minutes_of(o, f"{where}.breaks"), length, bool(b.get("paid", False)))]
                          for bs in break_sets for o in offsets]
        for bs in break_sets:
            segs, cut = _segments(parts, [(s, s + n) for s, n, _ in bs], where)
            span = sum(e - s for s, e in _segments(parts, [], where)[0])
            unpaid = sum(n for _, n, paid in bs if not paid)
            label = name.format(start=f"{base_start // 60:02d}{base_start % 60:02d}",
                                hours=f"{span / 60:g}") if "{" in name else name
            if len(break_sets) > 1:
                label = f"{label}/{'+'.join(f'{s // 60 % 24:02d}{s % 60:02d}' for s, _, _ in bs)}"
            out.append(Pattern(name=label, segments=segs, breaks=cut, paid_minutes=span - unpaid,
                               days=days, skill=skill))
    return out


def load_patterns(text: str) -> tuple[list[Pattern], Rules]:
    """Parse the patterns YAML (shifts plus optional rules) into patterns and rules."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SetupError(f"not valid YAML ({exc.__class__.__name__})", "patterns") from None
    if not isinstance(data, dict) or not data.get("shifts"):
        raise SetupError("the file lists no shifts", "patterns.shifts")
    rules_in = data.get("rules", {}) or {}
    night = rules_in.get("night", {}) or {}
    night_from = minutes_of(night.get("from", "22:00"), "patterns.rules.night")
    night_to = minutes_of(night.get("to", "06:00"), "patterns.rules.night")
    rules = Rules(
        interval_minutes=int(data.get("interval_minutes", rules_in.get("interval_minutes", 15))),
        min_rest_hours=float(rules_in.get("min_rest_hours", 11)),
        max_consecutive_days=int(rules_in.get("max_consecutive_days", 6)),
        consecutive_days_off=bool(rules_in.get("consecutive_days_off", True)),
        night_from=night_from, night_to=night_to + (1440 if night_to <= night_from else 0),
        time_limit_s=float(rules_in.get("time_limit_s", 30)), mip_gap=float(rules_in.get("mip_gap", 0.01)))
    patterns = [p for i, item in enumerate(data["shifts"]) for p in _expand(item, i)]
    names = [p.name for p in patterns]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise SetupError(f"two patterns are both called {dup!r}", "patterns.shifts")
    return patterns, rules


def _flag(value: str) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "y", "是")


def _items(value: str) -> list[str]:
    return [x.strip() for x in re.split(r"[;,|，；]", value or "") if x.strip()]


def _unavailable(value: str, week: date, line: int) -> frozenset[date]:
    out = set()
    for item in _items(value):
        if item.lower()[:3] in DAY_NAMES:
            out.add(week + timedelta(days=DAY_NAMES.index(item.lower()[:3])))
        else:
            try:
                out.add(date.fromisoformat(item))
            except ValueError:
                raise SetupError(f"line {line}: cannot read {item!r} as a date or weekday",
                                 "agents.unavailable") from None
    return frozenset(out)


def read_agents(path, week: date) -> list[Agent]:
    """Agents CSV: name, skills, days_per_week, max_hours, min_hours, unavailable, no_nights, prefers…"""
    agents = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            if not row.get("name"):
                raise SetupError(f"line {line}: an agent needs a name", "agents.name")
            try:
                agents.append(Agent(
                    name=row["name"], skills=frozenset(_items(row.get("skills", ""))),
                    days_per_week=int(row.get("days_per_week") or 5), max_hours=float(row.get("max_hours") or 40),
                    min_hours=float(row.get("min_hours") or 0),
                    unavailable=_unavailable(row.get("unavailable", ""), week, line),
                    no_nights=_flag(row.get("no_nights")), prefers=frozenset(_items(row.get("prefers", ""))),
                    nights_so_far=int(row.get("nights_so_far") or 0),
                    weekends_so_far=int(row.get("weekends_so_far") or 0)))
            except ValueError as exc:
                if isinstance(exc, SetupError):
                    raise
                raise SetupError(f"line {line}: a number cannot be read", "agents") from None
    if not agents:
        raise SetupError("no agents", "agents")
    if len({a.name for a in agents}) != len(agents):
        raise SetupError("two agents have the same name", "agents.name")
    return agents


def read_requirements(path, week: date, interval_minutes: int) -> Requirement:
    """Requirements CSV (start, required[, skill]) for the week starting on Monday `week`."""
    req = Requirement(week=week, interval_minutes=interval_minutes)
    begin = datetime.combine(week, datetime.min.time())
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            try:
                start = datetime.fromisoformat(row["start"].replace("/", "-")).replace(tzinfo=None)
                need = float(row.get("required") or row.get("agents") or 0)
            except (KeyError, ValueError):
                raise SetupError(f"line {line}: needs start and required", "requirements") from None
            minute = (start - begin).total_seconds() / 60
            if not 0 <= minute < 7 * 1440 or need <= 0:
                continue
            grid = req.need.setdefault(row.get("skill", ""), np.zeros((7, 1440 // interval_minutes)))
            day, slot = int(minute // 1440), int(minute % 1440 // interval_minutes)
            grid[day, slot] = max(grid[day, slot], math.ceil(need - 1e-9))
    if not req.need:
        raise SetupError("no requirement falls in the week", "requirements")
    return req
