"""Every test here runs a benchmark end to end at a tiny size: marked `bench`, run once in CI (on SQLite)."""

import json
import os
import subprocess
import sys

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/bench/tests/" in str(item.fspath):
            item.add_marker(pytest.mark.bench)


@pytest.fixture
def run_bench(tmp_path):
    """`run_bench("sla", "--open", "2000", …)`: `kefu bench` in a process of its own on a throwaway SQLite file
    (never the suite's database, never a PostgreSQL URL); answers the JSON it printed."""

    def run(*args: str, timeout: int = 300) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
        (tmp_path / "data").mkdir(exist_ok=True)
        env["KEFU_DATA_DIR"] = str(tmp_path / "data")
        cmd = [sys.executable, "-m", "kefu", "bench", *args, "--json-only"]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,  # noqa: S603
                              check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stderr.strip() == "" or "Traceback" not in done.stderr
        return json.loads(done.stdout)

    return run


def sane(figure: dict, n: int) -> None:
    """A latency figure: the number of samples asked for, and 0 < p50 <= p95."""
    assert figure["n"] == n
    assert 0 < figure["p50_ms"] <= figure["p95_ms"]
