"""`kefu bench attendance` with tiny sizes: the figures are there and hang together."""

import pytest

from kefu.bench import attendance
from kefu.bench.common import Progress

pytestmark = pytest.mark.bench


@pytest.mark.django_db(transaction=True)
def test_bench_attendance_reports_sheet_and_board():
    options = {"agents": 30, "changes": 3000, "board": 10, "seed": 1, "samples": 1, "db": None, "keep": False}
    result = attendance.run(options, Progress(quiet=True))
    assert result["sheet"]["rows"] == 30 and result["load"]["state_changes"] >= 3000
    assert 0 < result["board"]["agents"] <= 10 and result["board"]["ms"] > 0
    assert "adherence board" in attendance.summary(result)
