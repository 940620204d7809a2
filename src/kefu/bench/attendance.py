"""`kefu bench attendance`: the monthly attendance sheet and the live adherence board on a bench database.

Data: --agents agents in teams of 20, a month of published weekly rosters (five shifts a week with a lunch
break, day and night shifts), and about --changes presence state changes spread over the shifts (short
available/busy stretches, breaks, offline between shifts). Figures: the monthly sheet of every agent (wall
and CPU seconds, median of --samples runs), one agent's month, and the adherence board of --board agents on
duty (ms per refresh, median).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta

from django.utils import timezone

from kefu.bench.common import Progress, bench_database, peak_rss_mb, ratio

MONTH = date(2026, 11, 1)


def _people(n: int):
    from kefu.accounts.models import Department, Team, User
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_user

    dept = Department.objects.create(name="客服部")
    teams = [Team.objects.create(department=dept, name=f"{k + 1}班") for k in range((n + 19) // 20)]
    first = create_user(actor=None, username="a0000", password=None, role=Role.AGENT, team=teams[0],
                        agent_no="10000", display_name="a0000")
    User.objects.bulk_create([User(username=f"a{k:04d}", password=first.password, role=Role.AGENT,
                                   team=teams[k // 20], agent_no=f"{10000 + k}", display_name=f"a{k:04d}")
                              for k in range(1, n)], batch_size=1000)
    lead = create_user(actor=None, username="supervisor", password=None, role=Role.SUPERVISOR,
                       agent_no="90000", display_name="supervisor")
    return list(User.objects.filter(role=Role.AGENT).order_by("username")), lead


def _aware(d: date, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time())) + timedelta(minutes=minute)


def _roster(agents, rng: random.Random, first: date, last: date) -> list:
    from kefu.workforce.models import Roster, RosterStatus, Shift

    monday = first - timedelta(days=first.weekday())
    shifts = []
    while monday <= last:
        roster = Roster.objects.create(week=monday, status=RosterStatus.PUBLISHED)
        for i, agent in enumerate(agents):
            off = (i + monday.toordinal() // 7) % 6  # two days off in a row, rotating week by week
            start = [8 * 60, 12 * 60, 22 * 60][i % 3 if i % 10 else 2]
            for d in range(7):
                day = monday + timedelta(days=d)
                if d in (off, off + 1) or not first <= day <= last:
                    continue
                lunch = start + 4 * 60
                shifts.append(Shift(roster=roster, agent=agent, day=day, pattern="早班" if start < 720 else "晚班",
                                    start=_aware(day, start), end=_aware(day, start + 9 * 60),
                                    breaks=[{"start": _aware(day, lunch).replace(tzinfo=None).isoformat(
                                        timespec="minutes"), "end": _aware(day, lunch + 60).replace(
                                        tzinfo=None).isoformat(timespec="minutes")}],
                                    unpaid_break_minutes=60))
        monday += timedelta(days=7)
    Shift.objects.bulk_create(shifts, batch_size=5000)
    return shifts


def _presence(shifts: list, changes: int, rng: random.Random, progress: Progress) -> int:
    """State changes over every shift: clock-in a little early or late, short available/busy stretches, lunch."""
    from kefu.presence.models import PresenceSpan

    per_shift = max(4, -(-changes // max(len(shifts), 1)))
    rows, total = [], 0
    for s in sorted(shifts, key=lambda s: (s.agent_id, s.start)):
        at = s.start + timedelta(minutes=rng.randint(-10, 12))
        end = s.end + timedelta(minutes=rng.randint(-8, 40))
        lunch = s.start + timedelta(hours=4)
        step = (end - at) / per_shift
        states = []
        for k in range(per_shift - 1):
            a = at + step * k
            state = "break" if lunch <= a < lunch + timedelta(hours=1) else ("busy" if k % 2 else "available")
            states.append((state, a, a + step))
        states.append(("offline", end, None))
        for state, a, b in states:
            rows.append(PresenceSpan(user_id=s.agent_id, state=state, started_at=a, ended_at=b or a + timedelta(
                hours=6), reason="manual"))
        total += len(states)
        if len(rows) >= 20_000:
            PresenceSpan.objects.bulk_create(rows, batch_size=5000)
            rows = []
            progress.say(f"  {total} state changes")
    PresenceSpan.objects.bulk_create(rows, batch_size=5000)
    return total


def _time(fn, samples: int) -> dict:
    wall, cpu, out = [], [], None
    for _ in range(samples):
        began, began_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return {"s": round(statistics.median(wall), 3), "cpu_s": round(statistics.median(cpu), 3), "result": out}


def run(options: dict, progress: Progress) -> dict:
    rng = random.Random(options["seed"])
    result: dict = {"bench": "attendance", "config": {k: options[k] for k in ("agents", "changes", "board", "seed")}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        from kefu.attendance import adherence, selectors
        from kefu.presence.models import AgentPresence

        result["config"]["database"] = db.vendor
        progress.say(f"{options['agents']} agents and a month of rosters")
        agents, _lead = _people(options["agents"])
        first, last = selectors.month_bounds(MONTH)
        shifts = _roster(agents, rng, first, last)
        progress.say(f"{len(shifts)} shifts; presence state changes")
        began = time.perf_counter()
        changes = _presence(shifts, options["changes"], rng, progress)
        result["load"] = {"agents": len(agents), "shifts": len(shifts), "state_changes": changes,
                          "load_s": round(time.perf_counter() - began, 1)}
        samples = max(1, min(options["samples"], 3))
        progress.say("monthly sheet")
        sheet = _time(lambda: selectors.monthly_sheet(agents, MONTH, now=_aware(last, 2 * 1440)), samples)
        result["sheet"] = {"s": sheet["s"], "cpu_s": sheet["cpu_s"], "rows": len(sheet["result"]),
                           "absent": sum(r["absent"] for r in sheet["result"]),
                           "late": sum(r["late"] for r in sheet["result"])}
        one = _time(lambda: selectors.day_rows([agents[0]], first, last, now=_aware(last, 2 * 1440)), samples)
        result["one_agent_month"] = {"s": one["s"], "cpu_s": one["cpu_s"], "rows": len(one["result"])}
        progress.say("adherence board")
        moment = _aware(MONTH + timedelta(days=10), 10 * 60 + 30)
        on_duty = [s.agent for s in shifts if s.start <= moment < s.end][: options["board"]]
        AgentPresence.objects.bulk_create([AgentPresence(user=u, team_id=u.team_id, state=rng.choice(
            ["available", "busy", "busy", "break"]), state_since=moment - timedelta(minutes=rng.randint(0, 40)))
            for u in on_duty])
        board = _time(lambda: adherence.live_board(on_duty, now=moment), max(5, min(options["samples"], 50)))
        result["board"] = {"agents": len(board["result"]), "ms": round(board["s"] * 1000, 1),
                           "cpu_ms": round(board["cpu_s"] * 1000, 1),
                           "out_of_adherence": sum(not r["ok"] for r in board["result"])}
        result["ratios"] = {"sheet_s_vs_target_5": ratio(result["sheet"]["s"], 5),
                            "board_ms_vs_target_100": ratio(result["board"]["ms"], 100)}
        result["memory"] = {"peak_rss_mb": peak_rss_mb()}
    return result


def summary(result: dict) -> str:
    s, b, load = result["sheet"], result["board"], result["load"]
    return (f"attendance on {result['config']['database']}: monthly sheet of {load['agents']} agents over "
            f"{load['state_changes']} state changes {s['s']} s (CPU {s['cpu_s']} s); adherence board of "
            f"{b['agents']} agents {b['ms']} ms per refresh")
