"""`kefu bench knowledge` runs end to end on a tiny knowledge base and reports its figures as JSON."""

import json
import os
import subprocess
import sys


def test_bench_knowledge_reports_suggest_search_and_help_center_latency(tmp_path):
    # A process of its own: the bench points Django at its own database, which must not be the test one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "knowledge", "--articles", "50", "--samples", "5",
           "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["load"]["articles"] == 50
    for figure in ("suggest", "search", "help_center"):
        assert result[figure]["n"] == 5 and result[figure]["p50_ms"] > 0
    assert not (tmp_path / "bench.sqlite3").exists()  # removed without --keep
