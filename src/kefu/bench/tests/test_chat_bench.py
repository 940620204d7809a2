"""`kefu bench chat` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.bench
def test_bench_chat_reports_delivery_routing_and_memory(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "chat", "--sessions", "6", "--messages", "2", "--agents", "12",
           "--samples", "10", "--idle", "10", "--think", "0.5", "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    d, r, m = result["delivery"], result["routing"], result["memory"]
    assert d["sent"] == 6 * 2 * 2 and d["delivered"] + d["lost"] == d["sent"] and d["http_errors"] == 0
    assert 0 < d["p50_ms"] <= d["p95_ms"]
    assert r["n"] == 10 and r["agents_available"] == 12 and 0 < r["cpu_p50_ms"] <= r["cpu_p95_ms"]
    # A decision reads the queue and the team's agents once, whatever their number.
    assert r["queries_per_decision_max"] == r["queries_per_decision_min"] <= 9
    assert m["idle_streams_added"] == 10 and m["server_rss_mb_before_streams"] > 0
    assert set(result["targets"]) == {"delivery_p95_ms", "lost", "routing_p95_ms"}
