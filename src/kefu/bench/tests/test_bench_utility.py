"""`kefu bench utility` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.bench
def test_bench_utility_imports_detects_the_planted_meters_and_reports_rates(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "utility", "--meters", "1000", "--months", "15", "--import-n",
           "3000", "--samples", "2", "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["import"]["rows"] == result["import"]["created"] == 3000
    assert result["import"]["per_s"] > 0
    assert result["history_rows"] == 1000 * 15 - 3000
    detect = result["detect"]
    assert detect["by_kind"].get("fast") == detect["planted_fast"]
    assert detect["by_kind"].get("stopped") == detect["planted_stopped"]
    rates = result["read_rates_check"]
    assert sum(r["due"] for r in rates.values()) == 1000
    assert all(0 < r["read"] <= r["due"] for r in rates.values())
    assert 0 < result["read_rates_by_route"]["p50_ms"] <= result["read_rates_by_route"]["p95_ms"]
