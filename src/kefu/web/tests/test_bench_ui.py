import json
import os
import subprocess
import sys


def test_bench_ui_reports_each_page_with_its_query_count(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "ui", "--n", "300", "--samples", "10", "--workers", "1",
           "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["load"]["tickets"] == 300 and 0 < result["load"]["open"] < 300
    for page in ("agent_queue", "ticket_page", "lead_board"):
        assert result["http"][page]["n"] == 10 and result["http"][page]["p95_ms"] > 0
        assert 0 < result["queries_per_page"][page] < 30
    assert set(result["targets"]) == {f"{page}_p95_le_80ms" for page in result["http"]}
    assert not (tmp_path / "bench.sqlite3").exists()  # removed without --keep


