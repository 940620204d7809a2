"""`kefu bench load --agents 50 --minutes 3`: simulated agents over HTTP against a real server.

`--apps 2 --huey-workers 2` runs the scaled-out shape instead: two gunicorn app servers and two workers on one
database (PostgreSQL with KEFU_DATABASE_URL; the workers share Redis with KEFU_REDIS_URL), the agents spread
over the servers as a load balancer would spread them, and a client whose server stops answering retries on
the next one with the same Idempotency-Key. `--kill-after S` SIGKILLs the second app server and one worker
S seconds in: every write the survivors acknowledged must be in the database exactly once.

gunicorn (kefu.gunicorn_conf, the workers the README recommends) and the huey worker (`kefu run_huey`) run on a
bench database of their own, SQLite or PostgreSQL (KEFU_DATABASE_URL). Each agent is a thread with its own API
token and keep-alive connection that, every few seconds (--pace), opens its queue, opens a ticket, replies or
changes a status, or searches — in the proportions of a working shift. At the end the database is counted
against what the clients were told: every reply answered 201 must be stored once, every transition answered
200 must be an event; anything missing is a lost write.
"""

import http.client
import json
import random
import subprocess
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import quote

from kefu.bench.common import Progress, bench_database, latency
from kefu.bench.data import build_org
from kefu.bench.server import ApiClient, ApiServer

TARGET_P95_MS = 300
# What an agent does next, weighted as a shift goes: mostly reading the queue and tickets.
ACTIONS = {"queue": 30, "open": 30, "reply": 20, "status": 8, "search": 12}
WORDS = ["燃气费", "报修", "燃气表", "阀门", "账单", "预约", "抢修", "投诉"]
TICKETS_PER_AGENT = 8


@dataclass
class Tally:
    """What every agent thread saw, merged under a lock."""

    times: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in ACTIONS})
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    failovers: int = 0  # requests answered by another app server after theirs stopped answering
    retried_writes: int = 0  # of them, writes retried with their Idempotency-Key
    replies: dict[int, int] = field(default_factory=dict)  # ticket id → replies the server confirmed
    transitions: dict[int, int] = field(default_factory=dict)  # ticket id → transitions confirmed
    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: float = 0.0

    def done(self) -> int:
        return sum(len(v) for v in self.times.values())


def _seed_tickets(org, agents: int, rng: random.Random, progress: Progress) -> dict[int, list[int]]:
    """A few open tickets assigned to each working agent, through the services."""
    from kefu.tickets.services import TicketInput, create_ticket

    mine: dict[int, list[int]] = {}
    for i, agent in enumerate(org.agents[:agents]):
        for _ in range(TICKETS_PER_AGENT):
            customer_id, phone = rng.choice(org.customers)
            ticket = create_ticket(actor=agent, data=TicketInput(
                type="inquiry", title=f"{rng.choice(WORDS)}咨询", description="客户来电咨询", contact_phone=phone,
                customer_id=customer_id, assignee_id=agent.pk))
            mine.setdefault(agent.pk, []).append(ticket.pk)
        progress.tick("agents' tickets", i + 1, agents, 0)
    return mine


# What a client sees when its server is gone: refused, reset or cut off mid-answer.
GONE = (ConnectionError, http.client.HTTPException, OSError)


class FailoverClient:
    """Connections to every app server, starting at the agent's own (as a balancer spreads them). A request
    whose server is gone is sent to the next one; a write carries an Idempotency-Key, so a retry of a write the
    dead server had committed gets the stored answer instead of writing twice."""

    def __init__(self, ports: list[int], home: int, token: str, tally: "Tally"):
        self.clients = [ApiClient(port, token) for port in ports]
        self.current, self.tally = home % len(ports), tally

    def request(self, method: str, path: str, body: dict | None = None) -> tuple:
        headers = {"Idempotency-Key": uuid.uuid4().hex} if method != "GET" else {}
        last = None
        for attempt in range(len(self.clients)):
            client = self.clients[(self.current + attempt) % len(self.clients)]
            try:
                answer = client.request(method, path, body, headers=headers)
            except GONE as exc:
                last = exc
                client.close()
                continue
            if attempt:
                self.current = (self.current + attempt) % len(self.clients)
                with self.tally.lock:
                    self.tally.failovers += 1
                    self.tally.retried_writes += bool(headers)
            return answer
        raise RuntimeError(f"no app server answered: {last}")

    def json(self, method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        status, data = self.request(method, path, body)
        if status != expect:
            raise RuntimeError(f"{method} {path} answered {status}: {data[:300].decode(errors='replace')}")
        return json.loads(data)

    def close(self) -> None:
        for client in self.clients:
            client.close()


class Agent(threading.Thread):
    """One agent at the pace of a person: an action, a pause of a few seconds, the next action."""

    def __init__(self, ports: list[int], home: int, token: str, tickets: list[int], tally: Tally, until: float,
                 pace: float, seed: int):
        super().__init__(daemon=True)
        self.client = FailoverClient(ports, home, token, tally)
        self.tickets, self.tally, self.until, self.pace = tickets, tally, until, pace
        self.rng = random.Random(seed)

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.pace))  # agents do not all start on the same second
        while time.monotonic() < self.until:
            action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
            started = time.perf_counter()
            try:
                getattr(self, action)()
            except Exception as exc:  # noqa: BLE001 — every failure is counted, whatever it is
                with self.tally.lock:
                    self.tally.errors.append(f"{action}: {exc}"[:300])
            else:
                with self.tally.lock:
                    self.tally.times[action].append(time.perf_counter() - started)
            time.sleep(self.rng.uniform(0.5, 1.5) * self.pace)
        self.client.close()

    def _ticket(self) -> int:
        return self.rng.choice(self.tickets)

    def queue(self) -> None:
        self.client.json("GET", "/api/v1/tickets?assignee=me&open=true&page_size=20")

    def open(self) -> None:
        self.client.json("GET", f"/api/v1/tickets/{self._ticket()}")

    def reply(self) -> None:
        pk = self._ticket()
        self.client.json("POST", f"/api/v1/tickets/{pk}/messages",
                         {"kind": self.rng.choice(["reply", "note"]), "body": "已为您登记，稍后回复。"}, expect=201)
        with self.tally.lock:
            self.tally.replies[pk] = self.tally.replies.get(pk, 0) + 1

    def status(self) -> None:
        pk = self._ticket()
        ticket = self.client.json("GET", f"/api/v1/tickets/{pk}")
        # Back and forth between working on it and waiting for someone else: the ticket stays open all run.
        allowed = [s for s in ("in_progress", "waiting_other") if s in ticket["allowed_transitions"]]
        if not allowed:
            return
        to = self.rng.choice(allowed)
        status, _data = self.client.request("POST", f"/api/v1/tickets/{pk}/transition",
                                            {"version": ticket["version"], "to": to})
        if status == 409:  # a colleague's change came first: a right answer, not an error
            with self.tally.lock:
                self.tally.conflicts += 1
            return
        if status != 200:
            raise RuntimeError(f"transition answered {status}")
        with self.tally.lock:
            self.tally.transitions[pk] = self.tally.transitions.get(pk, 0) + 1

    def search(self) -> None:
        self.client.json("GET", f"/api/v1/search?q={quote(self.rng.choice(WORDS))}")


def _lost_writes(tally: Tally) -> dict:
    """Compare the database with what the clients were told."""
    from django.db.models import Count

    from kefu.tickets.models import EventCode, TicketEvent, TicketMessage

    stored = dict(TicketMessage.objects.filter(ticket_id__in=list(tally.replies)).values("ticket_id")
                  .annotate(n=Count("id")).values_list("ticket_id", "n"))
    moved = dict(TicketEvent.objects.filter(ticket_id__in=list(tally.transitions), code=EventCode.STATUS_CHANGED)
                 .values("ticket_id").annotate(n=Count("id")).values_list("ticket_id", "n"))
    return {"replies": sum(max(0, n - stored.get(pk, 0)) for pk, n in tally.replies.items()),
            "transitions": sum(max(0, n - moved.get(pk, 0)) for pk, n in tally.transitions.items())}


def _wait_serving(server: ApiServer, token: str, timeout: float = 120) -> None:
    """gunicorn listens before its workers exist (the master first loads the segmenter's dictionary): wait for
    a real answer, so that no agent's first action is timed across the start-up."""
    client = ApiClient(server.port, token)
    deadline = time.monotonic() + timeout
    try:
        while client.request("GET", "/api/v1/tickets/types")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer in time")
            time.sleep(0.2)
    finally:
        client.close()


def _drive(servers: list[ApiServer], workers: list, org, mine: dict, options: dict, progress: Progress) -> Tally:
    for server in servers:
        _wait_serving(server, org.tokens[org.agents[0].pk])
    tally = Tally()
    seconds = options["minutes"] * 60
    until = time.monotonic() + seconds
    ports = [server.port for server in servers]
    agents = [Agent(ports, i, org.tokens[agent.pk], mine[agent.pk], tally, until, options["pace"],
                    options["seed"] + i) for i, agent in enumerate(org.agents[:options["agents"]])]
    for agent in agents:
        agent.start()
    started = time.monotonic()
    kill_after = options.get("kill_after") or 0
    killed = False
    while any(agent.is_alive() for agent in agents):
        time.sleep(1)
        elapsed = time.monotonic() - started
        if kill_after and not killed and elapsed >= kill_after and len(servers) > 1:
            servers[1].crash()  # an app server's machine dies: no graceful shutdown, in-flight requests cut
            if len(workers) > 1:
                workers[1].kill()
                workers[1].wait()
            killed = True
            progress.say(f"killed app server 2 (port {servers[1].port}) and a worker at {elapsed:.0f} s")
        progress.tick("seconds", int(min(elapsed, seconds)), int(seconds), tally.done() / max(elapsed, 1e-9),
                      f" actions, {tally.done()} done, {len(tally.errors)} errors")
    tally.seconds = time.monotonic() - started
    return tally


def run(options: dict, progress: Progress) -> dict:
    rng = random.Random(options["seed"])
    apps, huey_workers = options.get("apps") or 1, options.get("huey_workers") or 1
    result: dict = {"bench": "load", "config": {k: options[k] for k in ("agents", "minutes", "pace", "workers")}}
    result["config"].update(apps=apps, huey_workers=huey_workers, kill_after=options.get("kill_after") or 0)
    with bench_database(options["db"], options["keep"], progress) as db:
        result["config"]["database"] = db.vendor
        progress.say("people and customers")
        org = build_org(rng, 200, progress)
        if options["agents"] > len(org.agents):
            org.agents = org.agents * (options["agents"] // len(org.agents) + 1)  # several sessions per person
        mine = _seed_tickets(org, options["agents"], rng, progress)
        env = {**db.server_env, **_shared_queue(), "DJANGO_SETTINGS_MODULE": "kefu.settings"}
        result["config"]["queue"] = "redis" if "KEFU_REDIS_URL" in env else "sqlite"
        workers = [subprocess.Popen([sys.executable, "-m", "kefu", "run_huey"],  # noqa: S603
                                    env={**_base_env(), **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for _ in range(huey_workers)]
        try:
            with ExitStack() as stack:
                servers = [stack.enter_context(ApiServer({**db.server_env, **_shared_queue()}, options["workers"]))
                           for _ in range(apps)]
                progress.say(f"{options['agents']} agents for {options['minutes']} min on {apps} app server(s)")
                tally = _drive(servers, workers, org, mine, options, progress)
                result["memory"] = [server.peak_rss_mb() for server in servers if server.proc.poll() is None]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)
        result["actions"] = {name: latency(times) if times else {"n": 0} for name, times in tally.times.items()}
        result["throughput_per_s"] = round(tally.done() / max(tally.seconds, 1e-9), 1)
        result["errors"] = {"count": len(tally.errors), "first": tally.errors[:5]}
        result["conflicts"] = tally.conflicts
        result["failovers"] = {"requests": tally.failovers, "writes_retried": tally.retried_writes}
        result["lost_writes"] = _lost_writes(tally)
        result["unacknowledged_stored"] = _unacknowledged(tally)
        result["confirmed"] = {"replies": sum(tally.replies.values()), "transitions": sum(tally.transitions.values())}
    result["all_p95_le_300ms"] = all(f.get("p95_ms", 0) <= TARGET_P95_MS for f in result["actions"].values())
    return result


def _shared_queue() -> dict:
    """The workers and app servers share Redis when KEFU_REDIS_URL is set (the scaled-out shape)."""
    import os

    return {"KEFU_REDIS_URL": os.environ["KEFU_REDIS_URL"]} if os.environ.get("KEFU_REDIS_URL") else {}


def _unacknowledged(tally: Tally) -> int:
    """Replies stored beyond those acknowledged (a write whose answer was lost and that was not replayed)."""
    from django.db.models import Count

    from kefu.tickets.models import TicketMessage

    stored = dict(TicketMessage.objects.filter(ticket_id__in=list(tally.replies)).values("ticket_id")
                  .annotate(n=Count("id")).values_list("ticket_id", "n"))
    return sum(max(0, stored.get(pk, 0) - n) for pk, n in tally.replies.items())


def _base_env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}


def summary(result: dict) -> str:
    config = result["config"]
    lines = [f"load: {config['agents']} agents, {config['minutes']} min, {config['apps']} app server(s), "
             f"{config['huey_workers']} worker(s) on {config['database']}: {result['errors']['count']} errors, "
             f"lost writes {result['lost_writes']}, {result['conflicts']} conflicts (409), "
             f"{result['throughput_per_s']} actions/s, failovers {result['failovers']}"]
    for name, f in result["actions"].items():
        if f["n"]:
            lines.append(f"  {name:8s} n {f['n']:5d}  p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms")
    lines.append(f"  every p95 <= {TARGET_P95_MS} ms: {result['all_p95_le_300ms']}")
    return "\n".join(lines)
