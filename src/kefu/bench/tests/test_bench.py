"""`kefu bench tickets` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import sqlite3
import subprocess
import sys


def test_bench_tickets_reports_figures_and_creates_every_ticket(tmp_path):
    db = tmp_path / "bench.sqlite3"
    # SQLite whatever the suite runs on: the subprocess must not see a PostgreSQL URL or the suite's database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    # A data dir of the test's own, so nothing lands in the checkout's var/ (kefu opens its task queue there).
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "tickets", "--n", "200", "--api-n", "50", "--samples", "20",
           "--db", str(db), "--keep", "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    assert "service create" not in done.stderr  # --json-only: no progress lines
    result = json.loads(done.stdout)

    assert result["config"]["n"] == 200 and result["config"]["api_n"] == 50
    for figure in (result["service"]["create"], result["service"]["reply"], result["service"]["transition"],
                   result["floor"]["raw_insert"], result["floor"]["raw_insert_with_clocks"], result["api_create"]):
        assert figure["per_s"] > 0 and 0 < figure["p50_ms"] <= figure["p95_ms"]
    # The raw sqlite3 floor writes the same rows without any of the services' work: it must be faster.
    assert result["floor"]["raw_insert"]["per_s"] > result["service"]["create"]["per_s"]
    assert result["service"]["create"]["count"] == 200
    assert result["api_create"]["count"] == 50
    for query in ("my_open_tickets", "ticket_detail"):
        for where in ("in_process", "http", "raw_sql"):
            assert result[query][where]["n"] == 20
            assert 0 < result[query][where]["p50_ms"] <= result[query][where]["p95_ms"]
    assert result["my_open_tickets"]["floor_matches"] is True
    for where in ("in_process", "raw_sql"):  # what ran in the bench's own thread also has its CPU time
        assert result["my_open_tickets"][where]["cpu_p95_ms"] > 0
    assert "cpu_p95_ms" not in result["ticket_detail"]["http"]
    assert result["ratios"]["list_p95_in_process_vs_raw_cpu"] > 0
    assert result["memory"]["peak_rss_mb"] > 0 and result["database"]["bytes"] > 0
    for name in ("service_vs_raw_insert", "service_vs_raw_insert_cpu", "service_vs_raw_insert_with_clocks"):
        assert result["ratios"][name] > 0
    assert result["service"]["create"]["per_cpu_s"] > 0
    # The creates only marked their tickets; the bench drains as the worker would, and says how fast.
    index = result["service"]["search_index"]
    assert index["after_create"]["pending"] == index["after_create"]["indexed"] == 200
    assert 0 < index["after_activity"]["indexed"] <= 200 and index["after_create"]["per_s"] > 0
    assert set(result["targets"]) >= {"service_create_per_s", "list_p95_http_ms", "detail_p95_http_ms"}

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM tickets_ticket").fetchone()[0] == 250
        replies = conn.execute("SELECT COUNT(*) FROM tickets_ticketmessage").fetchone()[0]
        documents = conn.execute("SELECT COUNT(*) FROM search_document WHERE kind = 'ticket'").fetchone()[0]
        marked = conn.execute("SELECT COUNT(*) FROM search_pending").fetchone()[0]
    # The API's tickets wait for a worker, which the bench does not run.
    assert (documents, marked) == (200, 50)
    assert 200 <= replies <= 600  # 1–3 per ticket created through the services
    # Nothing but the kept database is left beside it (the raw floor's scratch file lives in a removed temp dir).
    assert {p.name for p in tmp_path.iterdir()} - {"data"} <= {"bench.sqlite3", "bench.sqlite3-wal",
                                                                "bench.sqlite3-shm"}
