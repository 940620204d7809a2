"""`kefu bench ui`: the workspace pages over HTTP on a large center — the agent's queue, the ticket page and
the team lead's board — with p50/p95 per page and the number of SQL queries each page costs."""

import datetime as dt
import http.client
import random
import secrets
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, peak_rss_mb
from kefu.bench.server import ApiServer
from kefu.bench.sla import _insert

TARGET_P95_MS = 80
OPEN_SHARE = 0.3


def _load(n: int, now: dt.datetime, rng: random.Random, progress: Progress) -> dict:
    """n tickets over two teams and four people, with their creation events and resolution clocks, loaded with
    multi-row inserts (the services' own speed is `kefu bench tickets`; this bench is about reading)."""
    from kefu.customers.models import Customer
    from kefu.demo.world import build_world
    from kefu.sla.models import ClockState, SlaPolicy, TicketClock
    from kefu.sla.summary import refresh as refresh_summaries
    from kefu.tickets.lifecycle import Status
    from kefu.tickets.models import EventCode, Ticket, TicketEvent, TicketType

    world = build_world()
    customers = [world.customer.pk]
    for i in range(199):
        customers.append(Customer.objects.create(name=f"客户{i:03d}", created_at=now).pk)
    types = {t.code: t.pk for t in TicketType.objects.all()}
    codes = ["inquiry", "repair", "complaint", "after_sales", "suggestion"]
    people = [(world.agent.pk, world.team_a.pk), (world.handler.pk, world.team_a.pk),
              (None, world.team_a.pk), (world.agent_b.pk, world.team_b.pk)]
    adapt = connection.ops.adapt_datetimefield_value
    template = Ticket(ticket_type_id=types["inquiry"], title="", created_at=now, updated_at=now, custom={})
    plan = []
    for i in range(n):
        is_open = rng.random() < OPEN_SHARE
        created = now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 90))
        assignee, team = people[i % len(people)]
        status = (Status.ASSIGNED if assignee else Status.NEW) if is_open else Status.CLOSED
        plan.append((is_open, created, assignee, team, status))

    def tickets():
        for i, (is_open, created, assignee, team, status) in enumerate(plan):
            yield [f"燃气表读数异常 {i}", types[codes[i % len(codes)]], assignee, team, rng.choice(customers),
                   status, is_open, rng.randint(1, 4), adapt(created), adapt(created)]

    with transaction.atomic():
        _insert(Ticket, template, ("title", "ticket_type_id", "assignee_id", "team_id", "customer_id", "status",
                                   "is_open", "priority", "created_at", "updated_at"), tickets(), progress,
                "tickets", n)
    first = Ticket.objects.order_by("id").values_list("id", flat=True).first()

    def events():
        for i, (_open, created, *_rest) in enumerate(plan):
            yield [first + i, adapt(created)]

    with transaction.atomic():
        _insert(TicketEvent, TicketEvent(code=EventCode.CREATED, params={}, version=1, created_at=now),
                ("ticket_id", "created_at"), events(), progress, "events", n)
    policy = SlaPolicy.objects.get(name="默认")

    def clocks():
        for i, (is_open, created, *_rest) in enumerate(plan):
            if is_open:
                due = created + dt.timedelta(days=3)
                yield [first + i, adapt(created), adapt(due), adapt(due - dt.timedelta(hours=6)),
                       adapt(due) if due > now else None, ClockState.RUNNING]

    with transaction.atomic():
        _insert(TicketClock, TicketClock(kind="resolution", policy=policy, target="3wd", started_at=now, due_at=now,
                                         calendar_warnings=[]),
                ("ticket_id", "started_at", "due_at", "warn_at", "next_check_at", "state"), clocks(), progress,
                "clocks", sum(1 for p in plan if p[0]))
    with transaction.atomic():
        progress.say("SLA summaries …")  # the services keep them; rows inserted around the services need them made
        refresh_summaries()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    mine = [first + i for i, p in enumerate(plan) if p[2] == world.agent.pk]
    return {"world": world, "agent_tickets": mine,
            "figures": {"tickets": n, "open": sum(1 for p in plan if p[0]), "agent_tickets": len(mine),
                        "team_a_open": sum(1 for p in plan if p[0] and p[3] == world.team_a.pk)}}


def _session(user, secret: str) -> str:
    """A logged-in session for `user`, signed with the key the server uses (as a login would make it)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test.utils import override_settings

    with override_settings(SECRET_KEY=secret):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
    return store.session_key


def _timed_gets(port: int, cookie: str, paths: list[str]) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}", "Accept-Language": "zh-hans"}
    times = []
    for path in paths:
        began = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
        body = response.read()
        times.append(time.perf_counter() - began)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
    conn.close()
    return times


def _queries(user, path: str) -> int:
    from django.test import Client

    client = Client()
    client.force_login(user)
    # Once unmeasured: the first request of a process also fills the per-process caches (ticket types, SLA
    # policies), which every later request reuses; the figure is what each page costs from then on.
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def run(options: dict, progress: Progress) -> dict:
    rng = random.Random(options["seed"])
    now = timezone.now().replace(microsecond=0)
    samples = options["samples"]
    result: dict = {"bench": "ui", "config": {"tickets": options["n"], "samples": samples, "seed": options["seed"],
                                              "workers": options["workers"]}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        began = time.perf_counter()
        loaded = _load(options["n"], now, rng, progress)
        result["load"] = {**loaded["figures"], "seconds": round(time.perf_counter() - began, 1)}
        world = loaded["world"]
        mine = loaded["agent_tickets"]
        pages = {
            "agent_queue": (world.agent, ["/tickets/mine/"] * samples),
            "agent_queue_filtered": (world.agent, ["/tickets/team/?type=repair&priority=3"] * samples),
            "ticket_page": (world.agent, [f"/tickets/{rng.choice(mine)}/" for _ in range(samples)]),
            "lead_board": (world.lead, ["/tickets/board/"] * samples),
        }
        result["queries_per_page"] = {name: _queries(user, paths[0]) for name, (user, paths) in pages.items()}
        secret = secrets.token_urlsafe(40)
        cookies = {user.pk: _session(user, secret) for user, _paths in pages.values()}
        env = {**db.server_env, "KEFU_SECRET_KEY": secret}
        with ApiServer(env, workers=options["workers"]) as server:
            result["http"] = {}
            for name, (user, paths) in pages.items():
                progress.say(f"GET {name} × {len(paths)}")
                _timed_gets(server.port, cookies[user.pk], paths[:5])  # warm the worker's caches
                result["http"][name] = latency(_timed_gets(server.port, cookies[user.pk], paths))
            result["server_peak_rss_mb"] = server.peak_rss_mb()
        result["database_mb"] = round(db.size_bytes() / 2**20, 1)
    result["peak_rss_mb"] = peak_rss_mb()
    result["targets"] = {f"{name}_p95_le_{TARGET_P95_MS}ms": figures["p95_ms"] <= TARGET_P95_MS
                         for name, figures in result["http"].items()}
    return result


def summary(result: dict) -> str:
    lines = [f"ui bench: {result['load']['tickets']:,} tickets ({result['load']['open']:,} open) on "
             f"{result['config']['database']}, loaded in {result['load']['seconds']}s"]
    for name, figures in result["http"].items():
        lines.append(f"  {name:22s} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
                     f"{result['queries_per_page'][name]} SQL queries")
    met = sum(result["targets"].values())
    lines.append(f"  targets met: {met}/{len(result['targets'])} (p95 ≤ {TARGET_P95_MS} ms over HTTP)")
    return "\n".join(lines)
