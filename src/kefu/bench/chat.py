"""`kefu bench chat`: live chat on one ASGI app server (uvicorn) on this machine.

- delivery: `sessions` chats at once, each with the visitor's event stream open and its agent's desk stream open;
  visitors and agents write to each other over HTTP; the time from the POST to the other side's stream, p95, and
  how many never arrived;
- routing: one routing decision with `agents` agents available in the team (the query count of one decision too:
  it must not grow with the agents or the chats);
- memory: the server's resident memory per idle open stream.
"""

import asyncio
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.bench.common import Progress, bench_database, latency, peak_rss_mb
from kefu.bench.server import free_port

DELIVERY_P95_MS = 300
ROUTING_P95_MS = 5


def run(options: dict, progress: Progress) -> dict:
    started = time.monotonic()
    result: dict = {"bench": "chat", "config": {k: options[k] for k in ("sessions", "messages", "think", "agents",
                                                                         "samples", "idle", "seed")}}
    # Measure what production runs: with DEBUG on, Django keeps every SQL statement it sends.
    debug, settings.DEBUG = settings.DEBUG, False
    try:
        return _run(options, progress, result, started)
    finally:
        settings.DEBUG = debug


def _run(options: dict, progress: Progress, result: dict, started: float) -> dict:
    with bench_database(options["db"], options["keep"], progress) as db:
        result["config"]["database"] = db.vendor
        world = _setup(options, progress)
        result["routing"] = _routing(world, options["samples"], progress)
        chats = _open_chats(world, options["sessions"], progress)
        with ChatServer(db.server_env) as server:
            result["delivery"], result["memory"] = asyncio.run(
                _load(server, world, chats, options, progress))
            errors = [line for line in server.log_tail().splitlines() if "Error" in line or "error" in line]
            result["delivery"]["server_errors_tail"] = errors[-5:]
    result["memory"]["bench_peak_rss_mb"] = peak_rss_mb()
    result["targets"] = {
        "delivery_p95_ms": {"value": result["delivery"]["p95_ms"], "target": f"<= {DELIVERY_P95_MS}",
                            "ok": result["delivery"]["p95_ms"] <= DELIVERY_P95_MS},
        "lost": {"value": result["delivery"]["lost"], "target": "== 0", "ok": result["delivery"]["lost"] == 0},
        "routing_p95_ms": {"value": result["routing"]["p95_ms"], "target": f"<= {ROUTING_P95_MS}",
                           "ok": result["routing"]["p95_ms"] <= ROUTING_P95_MS},
    }
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def _setup(options: dict, progress: Progress) -> dict:
    """A department with a chat team (agents enough for every session) and a routing team of `agents`."""
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_department, create_team, create_user
    from kefu.chat.models import ChatQueue, Widget
    from kefu.presence.models import State
    from kefu.presence.services import CapacityInput, set_capacity, set_state

    dept = create_department(actor=None, name="客服部")
    chat_team = create_team(actor=None, department=dept, name="在线客服组")
    route_team = create_team(actor=None, department=dept, name="路由测试组")
    ChatQueue.objects.create(team=chat_team, auto_greeting=False, offer_seconds=3600)
    ChatQueue.objects.create(team=route_team, auto_greeting=False, offer_seconds=3600)
    per_agent = 4
    need = -(-options["sessions"] // per_agent)

    def agents(team, count, prefix):
        out = []
        for i in range(count):
            user = create_user(actor=None, username=f"{prefix}{i}", password=None, role=Role.AGENT, team=team,
                               agent_no=f"{prefix}{i}")
            set_capacity(actor=None, user_id=user.pk, data=CapacityInput(chat_capacity=per_agent))
            set_state(actor=user, user_id=user.pk, state=State.AVAILABLE)
            out.append(user)
            progress.tick(f"agents ({prefix})", i + 1, count, 0)
        return out

    chat_agents = agents(chat_team, need, "c")
    agents(route_team, options["agents"], "r")
    return {"chat_team": chat_team, "route_team": route_team, "agents": chat_agents,
            "chat_widget": Widget.objects.create(name="bench", team=chat_team, assistant=False),
            "route_widget": Widget.objects.create(name="route", team=route_team, assistant=False)}


def _routing(world: dict, samples: int, progress: Progress) -> dict:
    """Time route_team for one waiting chat with every agent of the team available; end the chat after."""
    from django.utils import timezone

    from kefu.chat.models import Conversation
    from kefu.chat.services import routing
    from kefu.chat.services.visitor import do_end

    times, cpu, queries = [], [], []
    for i in range(samples + 10):
        # A waiting chat written directly: start_chat would route it in its own commit hook, untimed.
        conv = Conversation.objects.create(widget=world["route_widget"], team=world["route_team"],
                                           visitor_key=secrets.token_hex(32), state=Conversation.State.WAITING,
                                           queued_at=timezone.now())
        with CaptureQueriesContext(connection) as ctx:
            c, t = time.process_time(), time.perf_counter()
            assert routing.route_team(team_id=world["route_team"].pk) == 1
            elapsed, used = time.perf_counter() - t, time.process_time() - c
        conv.refresh_from_db()
        do_end(conv, actor=None, by="bench", at=conv.created_at)
        if i >= 10:  # warm-up
            times.append(elapsed)
            cpu.append(used)
            queries.append(len(ctx.captured_queries))
        progress.tick("routing decisions", i + 1, samples + 10, 0)
    out = latency(times)
    # CPU time of the decision itself: on a shared machine the wall time also counts other processes' turns.
    out.update({"cpu_" + k: v for k, v in latency(cpu).items() if k != "n"})
    out.update({"agents_available": world["route_team"].members.count(), "queries_per_decision_max": max(queries),
                "queries_per_decision_min": min(queries)})
    return out


def _open_chats(world: dict, sessions: int, progress: Progress) -> list[dict]:
    """`sessions` chats started and accepted through the services; each with its visitor token and agent."""
    from kefu.chat.models import Conversation
    from kefu.chat.services import routing
    from kefu.chat.services.visitor import VisitorInput, start_chat

    chats = []
    for i in range(sessions):
        conv, token = start_chat(widget_key=world["chat_widget"].key, data=VisitorInput(name=f"访客{i}"))
        routing.route_team(team_id=world["chat_team"].pk)
        conv = Conversation.objects.get(pk=conv.pk)
        routing.accept_offer(actor=conv.agent, conversation_id=conv.pk)
        chats.append({"id": conv.pk, "token": token, "agent": conv.agent})
        progress.tick("chats opened", i + 1, sessions, 0)
    return chats


def _session_cookie(user) -> str:
    """A logged-in session for an agent, made in the database as a login would (no password round trip)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "kefu.accounts.throttle.ThrottledModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


async def _load(server: "ChatServer", world: dict, chats: list[dict], options: dict, progress: Progress):
    from kefu.bench.chatload import Stream, post

    port = server.port
    csrf = secrets.token_hex(16)
    cookies = {a.pk: await asyncio.to_thread(_session_cookie, a) for a in world["agents"]}
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}  # when the POST's answer came back: the message is stored and announced
    arrived: dict[str, float] = {}

    def on_message(event: dict, at: float) -> None:
        body = event.get("body", "")
        if body in sent and body not in arrived:
            arrived[body] = at

    rss_empty = server.rss_kb()
    streams = []
    for a in world["agents"]:
        streams.append(Stream(port, "/chat/desk/events", {"Cookie": f"sessionid={cookies[a.pk]}"}))
    for c in chats:
        streams.append(Stream(port, f"/chat/v/events?token={c['token']}"))
    t = time.perf_counter()
    for i in range(0, len(streams), 50):
        await asyncio.gather(*(s.open(on_message) for s in streams[i:i + 50]))
    progress.say(f"{len(streams)} streams open in {time.perf_counter() - t:.1f}s")
    rng = random.Random(options["seed"])
    errors = []

    think = options["think"]

    async def session(c: dict) -> None:
        agent_headers = {"Cookie": f"sessionid={cookies[c['agent'].pk]}; csrftoken={csrf}", "X-CSRFToken": csrf}
        await asyncio.sleep(rng.uniform(0, think))  # sessions do not all start on the same beat
        for i in range(options["messages"]):
            await asyncio.sleep(rng.uniform(think / 2, think * 1.5))
            for who in ("v", "a"):
                body = f"{who}{c['id']}-{i} 你好"
                sent[body] = time.perf_counter()
                if who == "v":
                    status, _d = await post(port, "/chat/v/send", {"body": body}, {"X-Chat-Token": c["token"]})
                else:
                    status, _d = await post(port, f"/chat/c/{c['id']}/send", {"body": body}, agent_headers)
                answered[body] = time.perf_counter()
                if status != 201:
                    errors.append(status)

    t, cpu = time.perf_counter(), server.cpu_seconds()
    await asyncio.gather(*(session(c) for c in chats))
    send_s = time.perf_counter() - t
    deadline = time.perf_counter() + 10
    while len(arrived) < len(sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    cpu = server.cpu_seconds() - cpu
    delays = [arrived[b] - sent[b] for b in arrived]
    delivery = latency(delays)
    # The delay split in two, to tell where it goes: the POST itself (waiting for the server's request thread,
    # the transaction) and the push from the commit to the other side's open stream.
    delivery["post_answer"] = latency([answered[b] - sent[b] for b in answered])
    delivery["push_after_answer"] = latency([max(0.0, arrived[b] - answered[b]) for b in arrived if b in answered])
    delivery.update({"sent": len(sent), "delivered": len(arrived), "lost": len(sent) - len(arrived),
                     "http_errors": len(errors), "sessions": len(chats), "streams": len(streams),
                     "messages_per_s": round(len(sent) / send_s, 1),
                     # The server's own CPU per message (POST, store, push to the streams): what one core can carry
                     # whatever else runs on the machine.
                     "server_cpu_ms_per_message": round(cpu * 1000 / max(1, len(sent)), 2),
                     "load_average": os.getloadavg()[0]})
    rss_busy = server.rss_kb()
    idle = [Stream(port, f"/chat/v/events?token={chats[i % len(chats)]['token']}") for i in range(options["idle"])]
    before = server.rss_kb()
    for i in range(0, len(idle), 50):
        await asyncio.gather(*(s.open(lambda e, at: None) for s in idle[i:i + 50]))
    await asyncio.sleep(1)
    after = server.rss_kb()
    memory = {"server_rss_mb_before_streams": round(rss_empty / 1024, 1),
              "server_rss_mb_after_load": round(rss_busy / 1024, 1),
              "idle_streams_added": len(idle),
              "server_kb_per_idle_stream": round((after - before) / max(1, len(idle)), 1)}
    for s in streams + idle:
        s.close()
    return delivery, memory


class ChatServer:
    """uvicorn (one process, the whole site) on the bench database; stopped on exit."""

    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.proc = None

    def __enter__(self) -> "ChatServer":
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
        env.update({"DJANGO_SETTINGS_MODULE": "kefu.settings", "KEFU_DEBUG": "0",
                    # The bench's own key: the agents' sessions are made here and must be valid there.
                    "KEFU_SECRET_KEY": settings.SECRET_KEY, "KEFU_LOG_LEVEL": "WARNING",
                    "KEFU_CHAT_RATE_VISITOR": "100000", "KEFU_CHAT_RATE_ADDRESS": "1000000", **self.env})
        cmd = [sys.executable, "-m", "uvicorn", "kefu.asgi:application", "--host", "127.0.0.1", "--port",
               str(self.port), "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "2"]
        # A file, not a pipe: a pipe nobody reads fills up and blocks the server's logging (and so the server).
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 — closed in __exit__
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=self.log)  # noqa: S603
        import socket

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CommandError(f"uvicorn exited: {self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login/", timeout=60):  # noqa: S310 — warm up
            pass
        return self

    def log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def summary(result: dict) -> str:
    d, r, m = result["delivery"], result["routing"], result["memory"]
    return "\n".join([
        f"delivery: {d['sessions']} sessions, {d['sent']} messages, p50/p95 {d['p50_ms']}/{d['p95_ms']} ms, "
        f"lost {d['lost']}, http errors {d['http_errors']} (POST answered p95 {d['post_answer']['p95_ms']} ms, "
        f"push after the answer p95 {d['push_after_answer']['p95_ms']} ms)",
        f"routing: {r['agents_available']} agents available, p50/p95 {r['p50_ms']}/{r['p95_ms']} ms, "
        f"{r['queries_per_decision_max']} queries per decision",
        f"memory: {m['server_kb_per_idle_stream']} KiB per idle stream",
    ])
