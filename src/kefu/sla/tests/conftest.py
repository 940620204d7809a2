import datetime as dt
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def monday():
    """An ordinary Monday morning in a known year."""
    return at("2026-11-23T09:00")
