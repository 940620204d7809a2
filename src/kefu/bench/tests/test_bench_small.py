"""`kefu bench sla`, `kefu bench ui` and `kefu bench knowledge` end to end at tiny sizes."""

from kefu.bench.tests.conftest import sane


def test_bench_sla_claims_every_due_clock_once_and_plans_from_the_deadline_index(run_bench, tmp_path):
    result = run_bench("sla", "--open", "2000", "--samples", "5", "--deadlines", "500",
                       "--db", str(tmp_path / "sla.sqlite3"))
    assert result["load"]["tickets"] == 2000 and result["load"]["due"] == 20
    assert result["process"]["claimed"] == result["load"]["due"]
    assert result["process"]["second_sweep_claimed"] == 0  # claimed work is not done twice
    assert result["process"]["events"] >= 2 * result["load"]["due"]  # a breach and an escalation per due clock
    assert "clock_next_check" in " ".join(result["find_due"]["plan"])
    assert result["deadline"]["mean_us_warm_calendar"] > 0


def test_bench_ui_times_each_page_with_a_bounded_query_count(run_bench, tmp_path):
    result = run_bench("ui", "--n", "300", "--samples", "10", "--workers", "1",
                       "--db", str(tmp_path / "ui.sqlite3"))
    assert result["load"]["tickets"] == 300 and 0 < result["load"]["open"] < 300
    for page in ("agent_queue", "ticket_page", "lead_board"):
        sane(result["http"][page], 10)
        assert 0 < result["queries_per_page"][page] < 30
    assert set(result["targets"]) == {f"{page}_p95_le_80ms" for page in result["http"]}
    assert not (tmp_path / "ui.sqlite3").exists()  # removed without --keep


def test_bench_knowledge_times_suggest_search_and_help_center(run_bench, tmp_path):
    result = run_bench("knowledge", "--articles", "50", "--samples", "5",
                       "--db", str(tmp_path / "kb.sqlite3"), timeout=180)
    assert result["load"]["articles"] == 50
    for figure in ("suggest", "search", "help_center"):
        sane(result[figure], 5)
    assert not (tmp_path / "kb.sqlite3").exists()


def test_bench_load_drives_agents_over_http_without_errors_or_lost_writes(run_bench, tmp_path):
    result = run_bench("load", "--agents", "3", "--minutes", "0.25", "--pace", "0.5", "--workers", "2",
                       "--db", str(tmp_path / "load.sqlite3"))
    assert result["config"]["database"] == "sqlite"
    assert result["errors"]["count"] == 0, result["errors"]["first"]
    assert result["lost_writes"] == {"replies": 0, "transitions": 0}
    timed = {name: f for name, f in result["actions"].items() if f["n"]}
    assert {"queue", "open"} <= set(timed)  # 15 s of three agents every ~half second: the common actions ran
    for figure in timed.values():
        assert 0 < figure["p50_ms"] <= figure["p95_ms"]
    assert result["confirmed"]["replies"] == result["actions"]["reply"]["n"]
    assert result["all_p95_le_300ms"] == all(f["p95_ms"] <= 300 for f in timed.values())
    assert result["memory"][0]["workers_mb"] and len(result["memory"][0]["workers_mb"]) == 2


def test_bench_load_on_two_app_servers_survives_losing_one(run_bench, tmp_path):
    """The scaled-out shape: one app server and one worker are SIGKILLed mid-run; the agents on it carry on
    at the other, and every acknowledged write is stored exactly once (retries carry an Idempotency-Key)."""
    result = run_bench("load", "--agents", "4", "--minutes", "0.4", "--pace", "0.3", "--workers", "1", "--apps",
                       "2", "--huey-workers", "2", "--kill-after", "8", "--db", str(tmp_path / "cluster.sqlite3"))
    assert result["config"]["apps"] == 2 and result["config"]["kill_after"] == 8
    assert result["errors"]["count"] == 0, result["errors"]["first"]
    assert result["lost_writes"] == {"replies": 0, "transitions": 0} and result["unacknowledged_stored"] == 0
    assert result["failovers"]["requests"] > 0  # the agents homed on the killed server moved over
    assert len(result["memory"]) == 1  # only the survivor is still there to measure
