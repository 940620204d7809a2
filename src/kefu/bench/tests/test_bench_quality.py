"""`kefu bench quality` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.bench
def test_bench_quality_checks_transcripts_and_computes_a_month_of_kpis(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "quality", "--transcripts", "300", "--stored", "50", "--agents",
           "20", "--contacts", "400", "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    checks = result["checks"]
    assert checks["transcripts"] == 300 and 0 < checks["failed"] <= 300 and checks["per_s"] > 0
    assert checks["stored"] == 50 and checks["stored_per_s"] > 0
    assert result["load"] == {**result["load"], "agents": 20, "teams": 1, "contacts": 400, "evaluations": 100}
    kpi = result["kpi"]
    assert kpi["agent_rows"] == 20 and kpi["team_rows"] == 1 and kpi["center_rows"] == 1
    assert set(kpi["per_measure_s"]) >= {"contacts", "aht", "fcr", "sla", "csat", "qa"}
    assert result["ratios"]["checks_per_s_vs_target_2000"] > 0
