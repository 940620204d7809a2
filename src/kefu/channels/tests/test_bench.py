"""`kefu bench channels` end to end with tiny numbers, in a subprocess with its own throwaway SQLite file."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.bench
def test_bench_channels_reports_rates_and_no_duplicates_under_retries(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") and k != "DJANGO_SETTINGS_MODULE"}
    (tmp_path / "data").mkdir()
    env["KEFU_DATA_DIR"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "kefu", "bench", "channels", "--emails", "40", "--webhooks", "20", "--cti", "30",
           "--attachment-mb", "1", "--db", str(tmp_path / "bench.sqlite3"), "--json-only"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["email"]["stored"] == 40 and 0 < result["email"]["threaded"] < 40
    assert (result["webhook"]["deliveries"], result["webhook"]["stored"]) == (40, 20)
    assert result["webhook"]["duplicates"] == 0 and result["webhook"]["failures"] == 0
    assert result["cti"]["count"] == 30
    for figure in ("email", "webhook", "cti"):
        assert result[figure]["per_s"] > 0 and result[figure]["p50_ms"] <= result[figure]["p95_ms"]
        assert result[figure]["per_cpu_s"] >= result[figure]["per_s"] * 0.5
    big = result["big_attachment"]
    assert big["message_mb"] > big["attachment_mb"] and big["python_peak_mb"] >= big["message_mb"]
    assert result["ratios"]["email_vs_target"] == round(result["email"]["per_s"] / 300, 3)
