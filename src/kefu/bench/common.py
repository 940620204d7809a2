"""Shared pieces of the benchmarks: a throwaway database, timing statistics, progress, memory, JSON output."""

import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse, urlunparse

from django.core.management.base import CommandError


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency(seconds: list[float]) -> dict:
    """p50/p95/p99/mean/max in milliseconds of a list of durations in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms), "p50_ms": round(percentile(ms, 50), 3), "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3), "mean_ms": round(sum(ms) / len(ms), 3) if ms else 0.0,
        "max_ms": round(max(ms), 3) if ms else 0.0,
    }


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


@dataclass
class OpTimes:
    """Durations of one kind of operation; the rate is per second of the operation itself, not of the loop.

    Besides wall time, the process's CPU time of each operation is kept: on a machine shared with other work
    the wall-time rate drops when another process takes the CPU; the CPU-time rate does not (it leaves out
    waiting for the disk, which SQLite's WAL with synchronous=NORMAL hardly does)."""

    durations: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, fn: Callable, *args, **kwargs):
        with self.timing():
            return fn(*args, **kwargs)

    @contextmanager
    def timing(self) -> Iterator[None]:
        cpu, start = time.process_time(), time.perf_counter()
        yield
        self.durations.append(time.perf_counter() - start)
        self.cpu.append(time.process_time() - cpu)

    @property
    def count(self) -> int:
        return len(self.durations)

    @property
    def rate(self) -> float:
        total = sum(self.durations)
        return self.count / total if total else 0.0

    @property
    def cpu_rate(self) -> float:
        total = sum(self.cpu)
        return len(self.cpu) / total if total else 0.0

    def summary(self) -> dict:
        return {"count": self.count, "per_s": round(self.rate, 1), "busy_s": round(sum(self.durations), 3),
                "per_cpu_s": round(self.cpu_rate, 1), **latency(self.durations)}


def measure(fn: Callable[[], object], samples: int, warmup: int, cpu: list[float] | None = None) -> list[float]:
    """Call fn warmup times unmeasured, then `samples` times measured; durations in seconds.

    With `cpu`, the calling thread's CPU time of each call is appended to it too: on a machine shared with other
    work, a call that was descheduled halfway shows in its wall time but not in its CPU time."""
    for _ in range(warmup):
        fn()
    durations = []
    for _ in range(samples):
        start, thread = time.perf_counter(), time.thread_time()
        fn()
        durations.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.thread_time() - thread)
    return durations


class Progress:
    """Progress lines on stderr at most every `every` seconds, so stdout stays one JSON document."""

    def __init__(self, quiet: bool, every: float = 2.0):
        self.quiet = quiet
        self.every = every
        self._last = 0.0

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def tick(self, label: str, done: int, total: int, rate: float, extra: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        self.say(f"{label} {done}/{total} {rate:,.0f}/s{extra}")


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def dump_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@dataclass
class BenchDatabase:
    """Where the benchmark writes: its own SQLite file, or its own PostgreSQL database beside the configured one.

    `workdir` is a private temporary directory for everything else the run creates (task queue, scratch files)."""

    vendor: str
    name: str
    workdir: str
    server_env: dict = field(default_factory=dict)

    def size_bytes(self) -> int:
        from django.db import connection

        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                # Fold the WAL back into the main file so that the size is the data, not the log.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return sum(os.path.getsize(self.name + suffix) for suffix in ("", "-wal", "-shm")
                       if os.path.exists(self.name + suffix))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]


def _point_django_at(name: str) -> None:
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    # The connection handler may hold its own copy of the settings dict once a connection was made.
    connections["default"].settings_dict["NAME"] = name


@contextmanager
def bench_database(path: str | None, keep: bool, progress: Progress) -> Iterator[BenchDatabase]:
    """Point Django at a fresh database made for this run, migrate it, and remove it afterwards unless keep."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    default = settings.DATABASES["default"]
    postgres = default["ENGINE"].endswith("postgresql")
    if path is not None and postgres:
        raise CommandError("--db names a SQLite file; on PostgreSQL the bench creates its own database")
    if path is not None and os.path.exists(path):
        # Refuse rather than overwrite: --db must never be pointed at data someone wants.
        raise CommandError(f"--db {path} exists; the benchmark only writes to a new file")
    workdir = tempfile.mkdtemp(prefix="kefu-bench-")
    if postgres:
        db = _create_pg_database(default, workdir)
    else:
        name = os.path.abspath(path) if path else os.path.join(workdir, "bench.sqlite3")
        db = BenchDatabase("sqlite", name, workdir, {"KEFU_SQLITE_PATH": name})
    db.server_env["KEFU_DATA_DIR"] = workdir
    original = default["NAME"]
    _point_django_at(db.name)
    try:
        with isolated_task_queue(workdir):
            progress.say(f"bench database: {db.vendor} {db.name}")
            call_command("migrate", verbosity=0, interactive=False)
            yield db
    finally:
        connections.close_all()
        if keep:
            progress.say(f"kept {db.name}")
        elif db.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db.name + suffix):
                    os.remove(db.name + suffix)
        if not (keep and db.name.startswith(workdir)):
            shutil.rmtree(workdir, ignore_errors=True)
        _point_django_at(original)
        if not keep and db.vendor == "postgresql":
            _drop_pg_database(db.name)


@contextmanager
def isolated_task_queue(workdir: str) -> Iterator[None]:
    """Send background tasks the services enqueue to a queue of our own, which no consumer reads.

    Otherwise they would land in the user's queue (SQLite file or Redis), and a running consumer would act on
    ticket ids that only exist in the bench database."""
    try:
        from huey.contrib.djhuey import HUEY as huey
        from huey.storage import SqliteStorage
    except ImportError:
        yield
        return
    saved = huey.storage
    huey.storage = SqliteStorage(name=huey.name, filename=os.path.join(workdir, "huey.sqlite3"))
    try:
        yield
    finally:
        huey.storage.close()
        huey.storage = saved


def _create_pg_database(default: dict, workdir: str) -> BenchDatabase:
    from django.db import connection

    name = f"{default['NAME']}_bench_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlparse(os.environ["KEFU_DATABASE_URL"])
    return BenchDatabase("postgresql", name, workdir,
                         {"KEFU_DATABASE_URL": urlunparse(url._replace(path="/" + name))})


def _drop_pg_database(name: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
