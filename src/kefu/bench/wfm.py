"""`kefu bench wfm`: Erlang staffing for a week of 20 queues, a 7 × 96 weekly schedule, forecast backtests.

No database: the workforce maths is plain Python. Figures: Erlang C and Erlang A staffing of 20 queues ×
336 half-hours (all at once, median of --samples runs); a week of quarter-hours with about 120 agents on
duty at the peak and ~300 shift patterns a day solved by HiGHS (seconds, proven gap), the named roster
(seconds, shifts left unfilled) and the independent check; a forecast backtest over a year of half-hours
(seconds); and the forecast's WAPE against the four-week same-weekday mean on several synthetic histories.
"""

from __future__ import annotations

import math
import statistics
import time
from datetime import date

import numpy as np

from kefu.workforce import erlang as E
from kefu.workforce.backtest import backtest
from kefu.workforce.scheduling.roster import assign
from kefu.workforce.scheduling.run import schedule_week
from kefu.workforce.scheduling.setup import Agent, Pattern, Requirement, Rules
from kefu.workforce.scheduling.shifts import plan_shifts
from kefu.workforce.synthetic import Shape, generate

WEEK = date(2027, 3, 1)


def _loads(rng, queues: int) -> tuple[np.ndarray, np.ndarray]:
    """Offered load per queue and half-hour of a week, shaped like a day of calls, and each queue's AHT."""
    hours = (np.arange(48) + 0.5) / 2
    day = 0.1 + np.exp(-((hours - 10.5) ** 2) / 4) + 0.8 * np.exp(-((hours - 15) ** 2) / 5)
    peaks = rng.uniform(5, 80, queues)
    weekly = np.array([1.15, 1.05, 1, 1, 0.95, 0.65, 0.55])
    loads = peaks[:, None, None] * weekly[None, :, None] * day[None, None, :]
    aht = rng.uniform(150, 420, queues)
    return loads.reshape(queues, -1), np.repeat(aht[:, None], 7 * 48, axis=1)


def _erlang(rng, samples: int) -> dict:
    loads, aht = _loads(rng, 20)
    target = E.Target(service_level=0.8, answer_within_s=20)
    out = {}
    for name, fn in (("erlang_c", lambda: E.staff_erlang_c(loads.ravel(), aht.ravel(), target)),
                     ("erlang_a", lambda: E.staff_erlang_a(loads.ravel(), aht.ravel(), 120.0, target))):
        times, cpu, agents = [], [], None
        for _ in range(samples):
            began, began_cpu = time.perf_counter(), time.process_time()
            agents = fn()
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        out[name] = {"intervals": int(loads.size), "ms": round(statistics.median(times) * 1000, 2),
                     "cpu_ms": round(statistics.median(cpu) * 1000, 2), "agent_intervals": int(agents.sum())}
    out["erlang_a_saves_agent_intervals"] = out["erlang_c"]["agent_intervals"] - out["erlang_a"]["agent_intervals"]
    return out


def week_setup(peak: int, seed: int, every: int = 15, lengths=(8, 9, 10)):
    """A 24-hour center's week: requirement per quarter-hour peaking at `peak`, patterns every `every` minutes."""
    rng = np.random.default_rng(seed)
    hours = (np.arange(96) + 0.5) / 4
    day = 0.12 + np.exp(-((hours - 10.5) ** 2) / 4) + 0.8 * np.exp(-((hours - 15) ** 2) / 5) \
        + 0.3 * np.exp(-((hours - 20) ** 2) / 3)
    weekly = np.array([1.0, 0.95, 0.92, 0.92, 0.9, 0.7, 0.62])
    need = np.ceil(peak * weekly[:, None] * day[None, :] / day.max() * rng.uniform(0.95, 1.05, (7, 96)))
    patterns = []
    for start in range(0, 1440, every):
        for hours_long in lengths:
            end = start + hours_long * 60
            lunch = start + (hours_long * 60) // 2 // 15 * 15
            patterns.append(Pattern(name=f"{start // 60:02d}{start % 60:02d}-{hours_long}h",
                                    segments=((start, lunch), (lunch + 60, end)), breaks=((lunch, lunch + 60),),
                                    paid_minutes=hours_long * 60 - 60))
    hours_needed = need.sum() / 4
    staff = math.ceil(hours_needed / 36 * 1.12)
    agents = [Agent(name=f"A{i:03d}", days_per_week=5, max_hours=40, no_nights=(i % 7 == 0),
                    nights_so_far=int(rng.integers(0, 3)), weekends_so_far=int(rng.integers(0, 3)))
              for i in range(staff)]
    return Requirement(week=WEEK, interval_minutes=15, need={"": need}), patterns, agents


def _schedule(peak: int, seed: int, time_limit: float, progress) -> dict:
    req, patterns, agents = week_setup(peak, seed)
    rules = Rules(interval_minutes=15, time_limit_s=time_limit, mip_gap=0.01)
    progress.say(f"schedule: {len(patterns)} patterns a day, {len(agents)} agents, peak {int(req.need[''].max())}")
    began = time.perf_counter()
    plan = plan_shifts(req, patterns, agents, rules)
    shifts_s = time.perf_counter() - began
    began = time.perf_counter()
    _, unfilled, roster = assign(plan, patterns, agents, rules, WEEK)
    roster_s = time.perf_counter() - began
    full = schedule_week(req, patterns, agents, rules)
    return {"patterns_per_day": len(patterns), "agents": len(agents), "peak_required": int(req.need[""].max()),
            "intervals": int(req.need[""].size), "shifts_s": round(shifts_s, 2), "shifts_status": plan.solve.status,
            "shifts_gap": round(plan.solve.gap, 5), "planned_shifts": sum(plan.counts.values()),
            "roster_s": round(roster_s, 2), "roster_status": roster.status,
            "unfilled_shifts": sum(n for *_, n in unfilled), "paid_hours": full["paid_hours"],
            "shortfall_agent_intervals": full["shortfall_agent_intervals"], "check_ok": full["check"]["ok"],
            "violations": len(full["check"]["violations"])}


def _forecast(progress) -> dict:
    histories = {"hotline": (date(2025, 1, 6), 365, Shape(), 0),
                 "small_noisy": (date(2024, 6, 3), 495, Shape(daily_calls=600, noise=0.1, yearly_growth=-0.05), 1),
                 "24h_growing": (date(2025, 3, 3), 300, Shape(daily_calls=9000, opens=0, closes=24, noise=0.04,
                                                              yearly_growth=0.3), 2),
                 "with_holidays": (date(2024, 1, 1), 650, Shape(daily_calls=3000), 3)}
    out = {}
    for name, (first, days, shape, seed) in histories.items():
        result = backtest(generate(first, days, shape=shape, seed=seed), weeks=8)
        base = result["baselines"]["four_week_mean"]["wape"]
        out[name] = {"wape": round(result["wape"], 4), "four_week_mean_wape": round(base, 4),
                     "seasonal_naive_wape": round(result["baselines"]["seasonal_naive"]["wape"], 4),
                     "improvement": round(1 - result["wape"] / base, 3)}
        progress.say(f"forecast {name}: WAPE {result['wape']:.3f} vs four-week mean {base:.3f}")
    year = generate(date(2025, 1, 6), 365, seed=9)
    began = time.perf_counter()
    backtest(year, weeks=4)
    four = time.perf_counter() - began
    began = time.perf_counter()
    whole = backtest(year, weeks=48)
    all_weeks = time.perf_counter() - began
    out["backtest_year_4_weeks_s"] = round(four, 2)
    out["backtest_year_48_weeks_s"] = round(all_weeks, 2)
    out["backtest_year_48_weeks_wape"] = round(whole["wape"], 4)
    return out


def run(options, progress) -> dict:
    """All workforce figures as one JSON document."""
    rng = np.random.default_rng(options["seed"])
    samples = min(options["samples"], 50)
    progress.say("erlang: 20 queues × 336 half-hours")
    result = {"config": {"seed": options["seed"], "samples": samples, "peak": options["peak"],
                         "time_limit_s": options["time_limit"]}}
    result["erlang"] = _erlang(rng, samples)
    result["schedule"] = _schedule(options["peak"], options["seed"], options["time_limit"], progress)
    result["forecast"] = _forecast(progress) if not options.get("skip_forecast") else {}
    return result


def summary(result: dict) -> str:
    e, s = result["erlang"], result["schedule"]
    return (f"Erlang C {e['erlang_c']['ms']} ms, Erlang A {e['erlang_a']['ms']} ms for {e['erlang_c']['intervals']} "
            f"intervals; schedule {s['shifts_s']} s (gap {s['shifts_gap']}), roster {s['roster_s']} s, "
            f"unfilled {s['unfilled_shifts']}, check {'ok' if s['check_ok'] else 'FAILED'}")

