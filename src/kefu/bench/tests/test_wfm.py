"""`kefu bench wfm` with tiny sizes: the figures are there and hang together."""

import pytest

from kefu.bench import wfm
from kefu.bench.common import Progress


@pytest.mark.bench
def test_bench_wfm_reports_staffing_schedule_and_check_figures():
    # Shift starts every two hours instead of every quarter-hour keep the smoke test's programme small.
    options = {"seed": 7, "samples": 1, "peak": 12, "time_limit": 20.0, "skip_forecast": True, "every": 120}
    result = wfm.run(options, Progress(quiet=True))
    erlang, schedule = result["erlang"], result["schedule"]
    assert erlang["erlang_c"]["intervals"] == 20 * 7 * 48
    assert erlang["erlang_a"]["agent_intervals"] < erlang["erlang_c"]["agent_intervals"]  # patience helps
    assert erlang["erlang_c"]["ms"] > 0 and erlang["erlang_a"]["ms"] > 0
    assert schedule["patterns_per_day"] == 12 * 3 and schedule["intervals"] == 7 * 96
    assert schedule["peak_required"] >= 12 and schedule["check_ok"] and schedule["violations"] == 0
    assert schedule["paid_hours"] > 0 and 0 <= schedule["shifts_gap"] <= 0.01
    assert "Erlang C" in wfm.summary(result)
