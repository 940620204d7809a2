"""`kefu bench sla`: the sweeper at scale — find the due clocks among a million open tickets, process the
breaches (event, escalation, notification queued), and the cost of one deadline across a holiday."""

import datetime as dt
import random
import time

from django.db import connection
from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, measure, peak_rss_mb, ratio

DUE_SHARE = 0.01
BATCH = 500


def _columns(model, template, overrides: tuple[str, ...]) -> tuple[list[str], list]:
    """Column names and prepared values of `template`, except the columns each row sets itself."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in fields if f.attname not in overrides]
    values = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields
              if f.attname not in overrides]
    return names, values


def _insert(model, template, overrides: tuple[str, ...], rows, progress: Progress, label: str, total: int) -> None:
    """Raw multi-row inserts: the bench measures the sweeper, not how fast a million rows can be loaded."""
    names, fixed = _columns(model, template, overrides)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*names, *(
        model._meta.get_field(a).column for a in overrides)])
    # Identifiers come from the model and are quoted; values are parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * (len(names) + len(overrides)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted identifiers only)
    batch, done = [], 0
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([*fixed, *row])
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                progress.say(f"{label} {done}/{total}")
        if batch:
            cursor.executemany(sql, batch)
            progress.say(f"{label} {done + len(batch)}/{total}")


def _load(n: int, now: dt.datetime, rng: random.Random, progress: Progress) -> dict:
    from django.db import transaction

    from kefu.demo.world import build_world
    from kefu.sla.models import SlaPolicy, TicketClock
    from kefu.tickets.models import Ticket, TicketType

    world = build_world()
    policy = SlaPolicy.objects.get(name="默认")
    ticket_type = TicketType.objects.get(code="inquiry")
    agents = [(world.agent.pk, world.team_a.pk), (world.handler.pk, world.team_a.pk),
              (world.agent_b.pk, world.team_b.pk)]
    template = Ticket(ticket_type=ticket_type, title="", created_at=now, updated_at=now, custom={})
    due_count = int(n * DUE_SHARE)
    due_ids = set(rng.sample(range(n), due_count))

    def tickets():
        for i in range(n):
            assignee, team = agents[i % len(agents)]
            yield [f"燃气表读数异常 {i}", assignee, team, connection.ops.adapt_datetimefield_value(now)]

    with transaction.atomic():
        _insert(Ticket, template, ("title", "assignee_id", "team_id", "created_at"), tickets(), progress,
                "tickets", n)
    first_id = Ticket.objects.order_by("id").values_list("id", flat=True).first()
    clock_template = TicketClock(kind="resolution", policy=policy, target="3wd", started_at=now, due_at=now,
                                 calendar_warnings=[])
    adapt = connection.ops.adapt_datetimefield_value

    def clocks():
        for i in range(n):
            if i in due_ids:
                due = now - dt.timedelta(minutes=rng.randint(1, 600))
                yield [first_id + i, adapt(due), adapt(due), adapt(due - dt.timedelta(hours=2))]
            else:
                due = now + dt.timedelta(minutes=rng.randint(60, 72 * 60))
                yield [first_id + i, adapt(due), adapt(due), None]

    with transaction.atomic():
        _insert(TicketClock, clock_template, ("ticket_id", "due_at", "next_check_at", "warned_at"), clocks(),
                progress, "clocks", n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"tickets": n, "due": due_count}


def _find_due(now: dt.datetime, samples: int) -> dict:
    from kefu.sla.models import TicketClock

    first_batch = measure(lambda: list(TicketClock.objects.filter(next_check_at__lte=now)
                                       .order_by("next_check_at").values_list("id", flat=True)[:BATCH]),
                          samples, warmup=3)
    all_due = measure(lambda: list(TicketClock.objects.filter(next_check_at__lte=now)
                                   .values_list("id", flat=True)), max(5, samples // 10), warmup=1)
    qs = TicketClock.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("id")[:BATCH]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
    return {"first_batch_of_500": latency(first_batch), "all_due_ids": latency(all_due), "plan": plan}


def _deadlines(rng: random.Random, count: int) -> dict:
    from kefu.sla.calendar import Target, simple_calendar

    calendar = simple_calendar()
    tz = calendar.tz
    starts = [dt.datetime(2026, 9, 25, 8, tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 14 * 24 * 60))
              for _ in range(count)]
    targets = [Target.parse(t) for t in ("3wd", "4h", "30m", "1wd", "16h")]
    calendar.deadline(starts[0], targets[0])
    began = time.perf_counter()
    for i, start in enumerate(starts):
        calendar.deadline(start, targets[i % len(targets)])
    warm = (time.perf_counter() - began) / count * 1e6
    cold_count = max(100, count // 100)
    began = time.perf_counter()
    for i, start in enumerate(starts[:cold_count]):
        simple_calendar().deadline(start, targets[i % len(targets)])
    cold = (time.perf_counter() - began) / cold_count * 1e6
    return {"calls": count, "mean_us_warm_calendar": round(warm, 2), "mean_us_new_calendar": round(cold, 2),
            "span": "starts 2026-09-25 … 2026-10-09, across National Day and its make-up working days"}


def run(options: dict, progress: Progress) -> dict:
    from django.conf import settings

    # Measure what production runs, as kefu.bench.tickets does: with DEBUG on, Django keeps and formats every
    # SQL statement it sends (on SQLite by a second query quoting each parameter of the batch INSERTs).
    debug, settings.DEBUG = settings.DEBUG, False
    try:
        return _run(options, progress)
    finally:
        settings.DEBUG = debug


def _run(options: dict, progress: Progress) -> dict:
    from kefu.notify.models import Notification
    from kefu.sla.escalation import sweep
    from kefu.tickets.models import TicketEvent

    rng = random.Random(options["seed"])
    now = timezone.now().replace(microsecond=0)
    result: dict = {"bench": "sla", "config": {"open": options["open"], "seed": options["seed"], "debug": False}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        began = time.perf_counter()
        result["load"] = _load(options["open"], now, rng, progress)
        result["load"]["seconds"] = round(time.perf_counter() - began, 1)
        progress.say("finding the due clocks")
        result["find_due"] = _find_due(now, options["samples"])
        progress.say(f"processing {result['load']['due']} breaches")
        events_before, notes_before = TicketEvent.objects.count(), Notification.objects.count()
        began = time.perf_counter()
        cpu = time.process_time()
        swept = sweep(now=now, batch=BATCH)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        result["process"] = {
            "claimed": swept["claimed"], "seconds": round(seconds, 3),
            "breaches_per_s": round(swept["claimed"] / seconds, 1) if seconds else None,
            # The same per second of this process's CPU: what the rate is without other load on the machine.
            "breaches_per_cpu_s": round(swept["claimed"] / cpu, 1) if cpu else None,
            "events": TicketEvent.objects.count() - events_before,
            "notifications_queued": Notification.objects.count() - notes_before,
        }
        result["process"]["second_sweep_claimed"] = sweep(now=now)["claimed"]
        result["database_mb"] = round(db.size_bytes() / 2**20, 1)
    progress.say("deadline arithmetic")
    result["deadline"] = _deadlines(rng, options["deadlines"])
    result["peak_rss_mb"] = peak_rss_mb()
    result["targets"] = {
        "find_due_first_batch_p95_le_50ms": result["find_due"]["first_batch_of_500"]["p95_ms"] <= 50,
        "breaches_per_s_ge_2000": (result["process"]["breaches_per_s"] or 0) >= 2000,
        "deadline_mean_le_50us": result["deadline"]["mean_us_warm_calendar"] <= 50,
        "deadline_ratio_new_to_warm": ratio(result["deadline"]["mean_us_new_calendar"],
                                            result["deadline"]["mean_us_warm_calendar"]),
    }
    return result


def summary(result: dict) -> str:
    find, process, deadline = result["find_due"]["first_batch_of_500"], result["process"], result["deadline"]
    verdict = {True: "ok", False: "MISSED"}
    targets = result["targets"]
    return "\n".join([
        f"sla ({result['config']['database']}): {result['load']['tickets']:,} open tickets, "
        f"{result['load']['due']:,} due",
        f"  find due (first batch of {BATCH}) p50/p95 {find['p50_ms']}/{find['p95_ms']} ms  (target p95 <= 50 ms: "
        f"{verdict[targets['find_due_first_batch_p95_le_50ms']]}); all due ids p95 "
        f"{result['find_due']['all_due_ids']['p95_ms']} ms",
        f"  process {process['claimed']:,} breaches: {process['breaches_per_s']:,}/s wall, "
        f"{process['breaches_per_cpu_s']:,}/s cpu  (target >= 2000/s: {verdict[targets['breaches_per_s_ge_2000']]}; "
        f"ratio to target {ratio(process['breaches_per_s'] or 0, 2000)}); {process['events']:,} events, "
        f"{process['notifications_queued']:,} notifications; second sweep claimed {process['second_sweep_claimed']}",
        f"  deadline across National Day {deadline['mean_us_warm_calendar']} µs mean "
        f"({deadline['mean_us_new_calendar']} µs with a new calendar; target <= 50 µs: "
        f"{verdict[targets['deadline_mean_le_50us']]})",
    ])
