"""Fixtures of the workforce app: a hotline queue, a two-shift setup and its requirement for one week."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from kefu.workforce import services
from kefu.workforce.models import ShiftSetup, StaffingQueue
from kefu.workforce.synthetic import Shape, generate

WEEK = date(2026, 11, 2)  # a Monday
NOW = timezone.make_aware(datetime(2026, 10, 30, 9, 0))
SETUP = """
interval_minutes: 30
shifts:
  - {name: 早班, start: "08:00", hours: 9, breaks: [{after: ["3h30m", "4h30m"], minutes: 60}]}
  - {name: 晚班, start: "12:00", hours: 9, breaks: [{after: ["4h", "5h"], minutes: 60}]}
"""


@pytest.fixture
def wfm(world):
    queue = StaffingQueue.objects.create(code="hotline", name="热线", interval_minutes=30, target_sl=0.8,
                                         answer_within_s=20, shrinkage=0.3, max_occupancy=0.85)
    setup = ShiftSetup.objects.create(name="两班制", patterns_yaml=SETUP)
    history = generate(date(2026, 6, 1), 150, shape=Shape(daily_calls=120, opens=9, closes=18), seed=3)
    req = services.plan_requirement(actor=world.lead, queue_id=queue.pk, week=WEEK, history=history, now=NOW)
    return {"queue": queue, "setup": setup, "req": req}


