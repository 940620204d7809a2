"""`kefu bench tickets`: create N realistic tickets through the services and the HTTP API, time the agent's
queue and the ticket detail, and compare with the floor of plain sqlite3 doing the same work."""

import dataclasses
import os
import platform
import random
import sqlite3
import statistics
import threading
import time
from datetime import datetime, timedelta

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kefu.bench.common import OpTimes, Progress, bench_database, latency, measure, peak_rss_mb, ratio
from kefu.bench.data import Org, TicketPlans, build_org
from kefu.bench.floor import RawReader, insert_floor, query_plan, snapshot_sqlite
from kefu.bench.server import ApiClient, ApiServer
from kefu.customers.models import Customer
from kefu.search import pending
from kefu.tickets import selectors, services
from kefu.tickets.models import Ticket, TicketEvent, TicketMessage, TicketType

LIST_PATH = "/api/v1/tickets?assignee=me&open=true&page_size=20"
# The targets, for SQLite at N=100,000 on the 2-core reference machine.
TARGETS = {
    "service_create_per_s": (">=", 2000), "service_vs_raw_insert": (">=", 0.35),
    "list_p95_in_process_ms": ("<=", 20), "list_p95_http_ms": ("<=", 60),
    "list_p95_in_process_vs_raw": ("<=", 2.0), "detail_p95_http_ms": ("<=", 60),
}


@dataclasses.dataclass(slots=True)
class Opened:
    """What the activity phase needs to know of a ticket the service phase opened."""

    pk: int
    type: str
    status: str
    handler_id: int
    at: datetime
    target: str
    replies: int


def run(options: dict, progress: Progress) -> dict:
    """The whole benchmark; returns the figures as one JSON-able dict."""
    started = time.monotonic()
    n = options["n"]
    result: dict = {"bench": "tickets", "config": {
        "n": n, "api_n": options["api_n"] or min(n, 5000), "samples": options["samples"], "seed": options["seed"],
        "customers": options["customers"] or min(n, 5000), "api_workers": options["workers"],
        "api_worker_class": options["worker_class"], "api_clients": options["api_clients"],
        "python": platform.python_version(), "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(), "debug": False,
    }}
    # Measure what production runs: with DEBUG on, Django keeps and formats every SQL statement it sends.
    debug, settings.DEBUG = settings.DEBUG, False
    try:
        return _run(options, progress, result, started)
    finally:
        settings.DEBUG = debug


def _run(options: dict, progress: Progress, result: dict, started: float) -> dict:
    n, api_n, seed, samples = options["n"], result["config"]["api_n"], options["seed"], options["samples"]
    with bench_database(options["db"], options["keep"], progress) as db:
        result["config"]["database"] = db.vendor
        if options["keep"]:
            result["config"]["database_name"] = db.name
        t0 = time.perf_counter()
        org = build_org(random.Random(seed), result["config"]["customers"], progress)
        result["org"] = {"departments": len(org.departments), "teams": len(org.service_teams + org.complaint_teams),
                         "field_crews": len(org.crews), "agents": len(org.agents), "other_users": org.others,
                         "customers": len(org.customers), "build_s": round(time.perf_counter() - t0, 2)}
        progress.say(f"org: {result['org']}")
        result["floor"] = {"raw_insert": raw_insert_floor(db, org, seed, n, progress),
                           "raw_insert_with_clocks": raw_insert_floor(db, org, seed, n, progress, clocks=True)}
        opened, result["service"] = service_phase(org, TicketPlans(org, seed, n), n, progress)
        analyze()
        with ApiServer(db.server_env, options["workers"], options["worker_class"]) as server:
            result["api_create"] = api_phase(server, org, TicketPlans(org, seed + 1, api_n), api_n,
                                             options["api_clients"], progress)
            queries = query_phase(server, org, opened, samples, random.Random(seed + 2), db, progress)
            server_memory = server.peak_rss_mb()
        result["my_open_tickets"], result["ticket_detail"] = queries
        result["database"] = database_figures(db)
    result["memory"] = {"peak_rss_mb": peak_rss_mb(), "server": server_memory}
    result["ratios"] = ratios(result)
    result["targets"] = targets(result)
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def raw_insert_floor(db, org: Org, seed: int, n: int, progress: Progress, clocks: bool = False) -> dict:
    """Plain sqlite3 inserting the same tickets into a scratch copy of the bench database before any ticket.

    Without `clocks` the rows are the ticket and its created event (the floor as first defined); with it also
    the two SLA clock rows create_ticket() writes since the SLA app exists — the same rows as the service."""
    if db.vendor != "sqlite":
        return {"skipped": f"the raw insert floor is measured on SQLite only, not on {db.vendor}"}
    scratch = os.path.join(db.workdir, "floor.sqlite3")
    snapshot_sqlite(db.name, scratch)
    try:
        type_ids = dict(TicketType.objects.values_list("code", "id"))
        times = insert_floor(scratch, TicketPlans(org, seed, n), type_ids, progress, n, clocks=clocks)
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(scratch + suffix):
                os.remove(scratch + suffix)
    what = "ticket row + created event row" + (" + its SLA clock rows" if clocks else "")
    progress.say(f"raw sqlite insert ({what}): {times.rate:,.0f} tickets/s")
    return {**times.summary(), "what": f"{what}, one BEGIN IMMEDIATE…COMMIT each",
            "timed": "the transaction only; rows are prepared beforehand with Django's own field conversion"}


def service_phase(org: Org, plans: TicketPlans, n: int, progress: Progress) -> tuple[list[Opened], dict]:
    """create_ticket N times (each its own transaction), then 1–3 replies and the transitions of each."""
    creates, replies, transitions = OpTimes(), OpTimes(), OpTimes()
    opened: list[Opened] = []
    wall = time.perf_counter()
    for i, plan in enumerate(plans, 1):
        ticket = creates.time(services.create_ticket, actor=plan.actor, data=plan.data, now=plan.at)
        opened.append(Opened(ticket.pk, plan.data.type, ticket.status, ticket.assignee_id or plan.actor.pk,
                             plan.at, plan.target, plan.replies))
        progress.tick("service create", i, n, creates.rate)
    create_wall = time.perf_counter() - wall
    indexed = {"after_create": index_catch_up(progress)}
    rng, now = plans.rng, timezone.now()
    wall = time.perf_counter()
    for i, t in enumerate(opened, 1):
        actor, version, at = org.by_id[t.handler_id], 1, t.at
        steps = plans.path(t.type, t.status, t.target)
        # A first answer, the work, more messages, then the last step (resolve/close) once all is said.
        for step in [None, *steps[:-1], *[None] * (t.replies - 1), *steps[-1:]]:
            at = min(at + timedelta(minutes=rng.randint(2, 240)), now)
            if step is None:
                kind, body = plans.message()
                replies.time(services.add_message, actor=actor, ticket_id=t.pk, kind=kind, body=body,
                             version=version, now=at)
            else:
                transitions.time(services.transition_ticket, actor=actor, ticket_id=t.pk, version=version,
                                 to=step, now=at)
            version += 1
        progress.tick("service replies+transitions", i, n, replies.rate,
                      f" (transitions {transitions.rate:,.0f}/s)")
    activity_wall = time.perf_counter() - wall
    indexed["after_activity"] = index_catch_up(progress)
    return opened, {
        "create": {**creates.summary(), "wall_s": round(create_wall, 2), "wall_per_s": round(n / create_wall, 1)},
        "reply": replies.summary(), "transition": transitions.summary(),
        "activity_wall_s": round(activity_wall, 2), "search_index": indexed,
    }


def index_catch_up(progress: Progress) -> dict:
    """Index what the phase left pending, as the worker does after the commits (kefu.search.pending).

    The services only mark changed tickets; segmenting and writing their documents is this drain's work, timed
    here so the figures show both sides: how fast tickets are made, and how fast the index catches up."""
    marked = pending.pending_count()
    cpu, start = time.process_time(), time.perf_counter()
    done = pending.drain(batch=500)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    progress.say(f"search index caught up: {done:,} tickets in {wall:.1f} s ({done / wall if wall else 0:,.0f}/s)")
    return {"pending": marked, "indexed": done, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "per_s": round(done / wall, 1) if wall else None, "per_cpu_s": round(done / cpu, 1) if cpu else None}


def analyze() -> None:
    """Table statistics, as a deployed database has them (`PRAGMA optimize`, autovacuum). Without them SQLite
    counts "my open tickets" through the assignee's index of every ticket, not the partial index of open ones —
    for the raw floor and for kefu alike (on 100,000 tickets ~20× slower). Before the server starts, so that
    its connections read them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def api_body(plan) -> dict:
    body = dataclasses.asdict(plan.data)
    body["occurred_at"] = plan.data.occurred_at.isoformat() if plan.data.occurred_at else None
    return {key: value for key, value in body.items() if value is not None}


def api_phase(server: ApiServer, org: Org, plans: TicketPlans, total: int, clients: int,
              progress: Progress) -> dict:
    """POST /api/v1/tickets over real HTTP from `clients` threads, each with its own connection."""
    warm = ApiClient(server.port)
    for agent in org.agents[:20]:  # every worker imports the URLconf and ninja schemas on its first request
        warm.json("GET", "/api/v1/tickets/types", token=org.tokens[agent.pk])
    warm.close()
    lock, source = threading.Lock(), iter(plans)
    durations: list[float] = []
    errors: list[BaseException] = []

    def client_loop():
        client = ApiClient(server.port)
        try:
            while not errors:
                with lock:  # the plan stream shares one random generator
                    plan = next(source, None)
                if plan is None:
                    return
                body, token = api_body(plan), org.tokens[plan.actor.pk]
                start = time.perf_counter()
                client.json("POST", "/api/v1/tickets", body, token=token, expect=201)
                with lock:
                    durations.append(time.perf_counter() - start)
                    progress.tick("api create", len(durations), total, len(durations) / (time.perf_counter() - wall))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
            errors.append(exc)
        finally:
            client.close()

    wall = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(max(clients, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    if errors:
        raise errors[0]
    return {"count": len(durations), "per_s": round(len(durations) / wall, 1), "wall_s": round(wall, 2),
            "clients": clients, "workers": server.workers, "worker_class": server.worker_class,
            **latency(durations)}


def query_phase(server: ApiServer, org: Org, opened: list[Opened], samples: int, rng: random.Random, db,
                progress: Progress) -> tuple[dict, dict]:
    """p50/p95 of "my open tickets" page 1 and of a ticket's detail: in-process, over HTTP, in raw SQL."""
    warmup = min(50, samples)
    agents = [rng.choice(org.agents) for _ in range(warmup + samples)]
    picks = [rng.choice(opened) for _ in range(warmup + samples)]
    reader, client = RawReader(db.vendor, db.name), ApiClient(server.port)

    def over(items, fn):
        # Every variant walks the same agents (or tickets) in the same order.
        it = iter(items)
        return latency(measure(lambda: fn(next(it)), samples, warmup))

    def my_filters(agent):
        return selectors.TicketFilters(assignee_id=agent.pk, is_open=True)

    try:
        progress.say("measuring my open tickets")
        lists = {
            "in_process": over(agents, lambda a: selectors.ticket_page(a, my_filters(a), page=1, page_size=20)),
            "http": over(agents, lambda a: client.json("GET", LIST_PATH, token=org.tokens[a.pk])),
            "raw_sql": over(agents, lambda a: reader.my_open(a.pk)),
        }
        counts = [reader.my_open(a.pk)[0] for a in org.agents]
        lists["open_per_agent_mean"] = round(statistics.mean(counts), 1)
        lists["floor_matches"] = all(same_page(reader, a, my_filters(a)) for a in org.agents[:5])
        if db.vendor == "sqlite":
            agent = org.agents[0]
            lists["query_plan"] = query_plan(selectors.list_queryset(agent, my_filters(agent))[:20])
        progress.say("measuring ticket detail")
        details = {
            "in_process": over(picks, lambda t: selectors.ticket_detail(org.by_id[t.handler_id], t.pk)),
            "http": over(picks, lambda t: client.json("GET", f"/api/v1/tickets/{t.pk}",
                                                     token=org.tokens[t.handler_id])),
            "raw_sql": over(picks, lambda t: reader.detail(t.pk)),
            "timeline_mean": round(statistics.mean(len(reader.detail(t.pk)[1]) for t in picks[:200]), 2),
        }
    finally:
        reader.close()
        client.close()
    return lists, details


def same_page(reader: RawReader, agent, filters) -> bool:
    """The raw floor answers what the selector answers: same count, same tickets in the same order."""
    count, items = selectors.ticket_page(agent, filters, page=1, page_size=20)
    raw_count, rows = reader.my_open(agent.pk)
    return count == raw_count and [t.pk for t in items] == [row[0] for row in rows]


def database_figures(db) -> dict:
    tickets = Ticket.objects.count()
    size = db.size_bytes()
    return {"tickets": tickets, "messages": TicketMessage.objects.count(), "events": TicketEvent.objects.count(),
            "customers": Customer.objects.count(), "bytes": size, "mb": round(size / 2**20, 1),
            "bytes_per_ticket": round(size / tickets) if tickets else None}


def ratios(result: dict) -> dict:
    raw, full = result["floor"]["raw_insert"], result["floor"]["raw_insert_with_clocks"]
    create = result["service"]["create"]
    lists, details = result["my_open_tickets"], result["ticket_detail"]
    return {
        # Service create rate over the raw floor's rate: by wall time (the figure), and by CPU time
        # (the same ratio with other processes' load on the shared machine taken out).
        "service_vs_raw_insert": ratio(create["per_s"], raw["per_s"]) if "per_s" in raw else None,
        "service_vs_raw_insert_cpu": ratio(create["per_cpu_s"], raw["per_cpu_s"]) if "per_s" in raw else None,
        "service_vs_raw_insert_with_clocks": ratio(create["per_s"], full["per_s"]) if "per_s" in full else None,
        "service_vs_raw_insert_with_clocks_cpu": (ratio(create["per_cpu_s"], full["per_cpu_s"])
                                                  if "per_s" in full else None),
        "list_p95_in_process_vs_raw": ratio(lists["in_process"]["p95_ms"], lists["raw_sql"]["p95_ms"]),
        "list_p95_http_vs_raw": ratio(lists["http"]["p95_ms"], lists["raw_sql"]["p95_ms"]),
        "detail_p95_in_process_vs_raw": ratio(details["in_process"]["p95_ms"], details["raw_sql"]["p95_ms"]),
        "detail_p95_http_vs_raw": ratio(details["http"]["p95_ms"], details["raw_sql"]["p95_ms"]),
        "api_vs_service_create": ratio(result["api_create"]["per_s"], create["per_s"]),
    }


def targets(result: dict) -> dict:
    values = {
        "service_create_per_s": result["service"]["create"]["per_s"],
        "service_vs_raw_insert": result["ratios"]["service_vs_raw_insert"],
        "list_p95_in_process_ms": result["my_open_tickets"]["in_process"]["p95_ms"],
        "list_p95_http_ms": result["my_open_tickets"]["http"]["p95_ms"],
        "list_p95_in_process_vs_raw": result["ratios"]["list_p95_in_process_vs_raw"],
        "detail_p95_http_ms": result["ticket_detail"]["http"]["p95_ms"],
    }
    out = {}
    for name, (op, limit) in TARGETS.items():
        value = values[name]
        ok = None if value is None else (value >= limit if op == ">=" else value <= limit)
        out[name] = {"value": value, "target": f"{op} {limit}", "ok": ok}
    return out


def summary(result: dict) -> str:
    """A few human lines for stderr; the JSON on stdout has everything."""
    s, lists, details, r = result["service"], result["my_open_tickets"], result["ticket_detail"], result["ratios"]
    create = s["create"]
    verdict = {True: "ok", False: "MISSED", None: "n/a"}

    def floor(name: str) -> str:
        f = result["floor"][name]
        if "per_s" not in f:
            return f"  {name:<24} skipped ({f['skipped']})"
        return (f"  {name:<24} {f['per_s']:>8,.0f}/s  p50/p95 {f['p50_ms']}/{f['p95_ms']} ms  "
                f"cpu {f['per_cpu_s']:,.0f}/s")

    def times(label: str, d: dict) -> str:
        p = {k: f"{d[k]['p50_ms']}/{d[k]['p95_ms']}" for k in ("in_process", "http", "raw_sql")}
        return f"  {label:<16} p50/p95 ms  in-process {p['in_process']}  http {p['http']}  raw {p['raw_sql']}"

    def x(value) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"create through the service layer (one transaction each, {create['count']} tickets, "
        f"{result['config']['database']}):",
        f"  {'service create_ticket':<24} {create['per_s']:>8,.0f}/s  p50/p95 {create['p50_ms']}/"
        f"{create['p95_ms']} ms  cpu {create['per_cpu_s']:,.0f}/s",
        floor("raw_insert"), floor("raw_insert_with_clocks"),
        f"  ratio service/raw        {x(r['service_vs_raw_insert'])} (cpu {x(r['service_vs_raw_insert_cpu'])});  "
        f"with clocks {x(r['service_vs_raw_insert_with_clocks'])} "
        f"(cpu {x(r['service_vs_raw_insert_with_clocks_cpu'])})",
        f"  search index after the creates (the worker's drain): {s['search_index']['after_create']['per_s']}/s"
        f"  cpu {s['search_index']['after_create']['per_cpu_s']}/s",
        f"  reply {s['reply']['per_s']:,.0f}/s  transition {s['transition']['per_s']:,.0f}/s  "
        f"api create {result['api_create']['per_s']:,.0f}/s (p50/p95 {result['api_create']['p50_ms']}/"
        f"{result['api_create']['p95_ms']} ms)",
        times("my open tickets", lists), times("ticket detail", details),
        f"  database {result['database']['mb']} MB  peak rss {result['memory']['peak_rss_mb']} MB  "
        f"elapsed {result['elapsed_s']} s",
        "targets: " + ", ".join(f"{k} {v['value']} ({v['target']}) {verdict[v['ok']]}"
                                for k, v in result["targets"].items()),
    ]
    return "\n".join(lines)
