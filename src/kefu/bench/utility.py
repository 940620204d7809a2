"""`kefu bench utility`: the utility pack at scale — importing readings with validation, finding abnormal meters
over months of history, and the month's read-rate report.

The meters are loaded with bulk inserts (the bench measures the import, the detection and the report, not the
set-up); the timed import goes through kefu.utility.services.import_readings exactly as a file import does.
"""

import datetime as dt
import random
import time

from django.db import transaction
from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, measure, peak_rss_mb

SEASON = [1.9, 1.7, 1.3, 0.9, 0.6, 0.45, 0.4, 0.4, 0.5, 0.8, 1.3, 1.7]  # heating months use more gas


def _month(start: dt.date, offset: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def _setup(meters: int, progress: Progress) -> list[tuple[int, str, str]]:
    """One customer, `meters` accounts each with one meter on routes of 1,000; answers (id, number, class)."""
    from kefu.customers.services import CustomerInput, create_customer
    from kefu.packs.services import set_pack_enabled
    from kefu.testing import build_world
    from kefu.utility.models import Meter, Route, ServiceAccount

    world = build_world()
    set_pack_enabled(actor=None, code="utility", enabled=True)
    customer = create_customer(actor=None, data=CustomerInput(name="压测客户"))
    now = timezone.now()
    routes = Route.objects.bulk_create([Route(code=f"B{i:04d}", name=f"压测册{i}", reader=world.fieldman,
                                              read_class="residential") for i in range(meters // 1000 + 1)])
    with transaction.atomic():
        for start in range(0, meters, 20_000):
            n = range(start, min(start + 20_000, meters))
            accounts = ServiceAccount.objects.bulk_create(
                [ServiceAccount(number=f"A{i:08d}", customer=customer, created_at=now) for i in n], batch_size=2000)
            Meter.objects.bulk_create(
                [Meter(account=a, number=f"M{i:08d}", installed_on=dt.date(2018, 1, 1), last_value=0,
                       read_class="commercial" if i % 20 == 0 else "residential", route=routes[i // 1000],
                       route_position=i % 1000) for i, a in zip(n, accounts, strict=True)], batch_size=2000)
            progress.say(f"meters {min(start + 20_000, meters)}/{meters}")
    return list(Meter.objects.order_by("id").values_list("id", "number", "read_class"))


def _usage(rng: random.Random, index: int, months: int, start: dt.date) -> list[int]:
    """A meter's monthly consumption; every 500th runs fast in the last quarter, every 499th stops."""
    base = rng.randint(8, 40)
    series = [max(0, round(base * SEASON[_month(start, m).month - 1] * rng.uniform(0.85, 1.15)))
              for m in range(months)]
    if index % 500 == 7:
        series[-3:] = [c * 4 + 20 for c in series[-3:]]
    elif index % 499 == 3:
        series[-3:] = [0, 0, 0]
    return series


def _import(meters, usage, start: dt.date, import_months: int, progress: Progress) -> dict:
    from kefu.utility.models import Reading
    from kefu.utility.services import ReadingRow, import_readings

    rows = []
    for (_pk, number, _c), series in zip(meters, usage, strict=True):
        value = 0
        for m in range(import_months):
            value += series[m]
            when = dt.datetime.combine(_month(start, m) + dt.timedelta(days=9), dt.time(10))
            rows.append(ReadingRow(number, value, timezone.make_aware(when)))
    progress.say(f"importing {len(rows)} readings")
    began, cpu = time.perf_counter(), time.process_time()
    result = import_readings(actor=None, rows=rows, progress=lambda done: progress.say(f"imported {done}"))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert Reading.objects.count() == len(rows)
    return {"rows": len(rows), "created": result.created, "lower_than_last": result.lower_than_last,
            "outside_band": result.outside_band, "seconds": round(seconds, 2),
            "per_s": round(len(rows) / seconds), "per_cpu_s": round(len(rows) / cpu) if cpu else None}


def _history(meters, usage, start: dt.date, first: int, months: int, progress: Progress) -> int:
    """The rest of the history, bulk inserted (set-up, untimed)."""
    from kefu.utility.models import Reading

    now, count = timezone.now(), 0
    with transaction.atomic():
        batch = []
        for (pk, _number, read_class), series in zip(meters, usage, strict=True):
            value = sum(series[:first])
            for m in range(first, months):
                value += series[m]
                batch.append(Reading(meter_id=pk, period=_month(start, m), value=value, consumption=series[m],
                                     read_at=now, read_class=read_class, created_at=now,
                                     estimated=m == months - 1 and pk % 97 == 0))
                if len(batch) >= 20_000:
                    Reading.objects.bulk_create(batch, batch_size=2000)
                    count += len(batch)
                    batch = []
                    progress.say(f"history {count}")
        Reading.objects.bulk_create(batch, batch_size=2000)
    return count + len(batch)


def run(options: dict, progress: Progress) -> dict:
    from django.conf import settings

    debug, settings.DEBUG = settings.DEBUG, False  # as production runs: no SQL kept per statement
    try:
        return _run(options, progress)
    finally:
        settings.DEBUG = debug


def _run(options: dict, progress: Progress) -> dict:
    from kefu.utility.detection import detect
    from kefu.utility.selectors import read_rates

    n, months = options["meters"], options["months"]
    import_months = max(1, min(months, options["import_n"] // n))
    rng = random.Random(options["seed"])
    start = dt.date(2024, 12, 1)
    last = _month(start, months - 1)
    result: dict = {"bench": "utility", "config": {"meters": n, "months": months, "import_months": import_months,
                                                   "seed": options["seed"], "debug": False}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        meters = _setup(n, progress)
        usage = [_usage(rng, i, months, start) for i in range(n)]
        result["import"] = _import(meters, usage, start, import_months, progress)
        result["history_rows"] = _history(meters, usage, start, import_months, months, progress)
        progress.say("detecting abnormal meters")
        began, cpu = time.perf_counter(), time.process_time()
        findings = detect(last)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        kinds: dict[str, int] = {}
        for f in findings:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        result["detect"] = {"meters": n, "months": months, "readings": n * months, "seconds": round(seconds, 2),
                            "cpu_seconds": round(cpu, 2), "findings": len(findings), "by_kind": kinds,
                            "planted_fast": len([i for i in range(n) if i % 500 == 7]),
                            "planted_stopped": len([i for i in range(n) if i % 499 == 3 and i % 500 != 7])}
        progress.say("read-rate report")
        for by in ("route", "class"):
            times = measure(lambda by=by: read_rates(last, by=by), options["samples"], 1)
            result[f"read_rates_by_{by}"] = latency(times)
        rows = read_rates(last, by="class")
        result["read_rates_check"] = {r["key"]: {"due": r["due"], "read": r["read"], "estimated": r["estimated"]}
                                      for r in rows}
        result["database_mb"] = round(db.size_bytes() / 2**20, 1)
    result["memory"] = {"peak_rss_mb": peak_rss_mb()}
    result["targets"] = {"import_per_s": 20_000, "detect_seconds_at_500k_x_24": 60, "read_rates_seconds_at_500k": 2}
    return result


def summary(result: dict) -> str:
    imp, det = result["import"], result["detect"]
    return (f"import {imp['rows']} readings: {imp['per_s']}/s ({imp['per_cpu_s']}/cpu-s); "
            f"detect {det['meters']}×{det['months']}: {det['seconds']} s, {det['findings']} findings; "
            f"read rates by route p95 {result['read_rates_by_route']['p95_ms']} ms")
