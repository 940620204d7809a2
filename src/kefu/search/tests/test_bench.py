"""`kefu bench search` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.bench  # run once in CI, on SQLite (kefu.bench's smoke tests)


def test_bench_search_reports_latency_size_and_precision(tmp_path):
    db = tmp_path / "bench.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "search", "--n", "3000", "--samples", "5", "--db", str(db),
           "--keep", "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["load"]["tickets"] == 3000 and result["load"]["index_rows_per_s"] > 0
    assert result["segmentation"]["docs_per_s"] > 0
    for role in ("supervisor", "agent"):
        for label in ("common_chinese", "mid_chinese", "rare_chinese", "english", "ticket_number"):
            figure = result["queries"][f"{role}.{label}"]
            assert figure["n"] == 5 and 0 < figure["p50_ms"] <= figure["p95_ms"]
    # The agent sees the tickets of their team (two bench tickets in three): fewer, but some, of every word.
    assert 0 < result["queries"]["agent.common_chinese"]["mean_total"] < result["queries"][
        "supervisor.common_chinese"]["mean_total"]
    assert result["queries"]["supervisor.ticket_number"]["mean_total"] == 1
    assert result["relevance"]["queries"] >= 50 and result["relevance"]["precision_at_5"] > 0.8
    with sqlite3.connect(db) as conn:
        # The FTS index holds every document: a word in every bench ticket's text finds them all.
        assert conn.execute("SELECT COUNT(*) FROM search_document WHERE kind = 'ticket'").fetchone()[0] > 3000
