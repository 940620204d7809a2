"""Demo workforce planning, made through the services: a hotline queue, a shift setup, next week's requirement
forecast from a year of synthetic history, and a published roster for the front-line agents."""

from datetime import date, datetime, timedelta

from kefu.workforce import services
from kefu.workforce.models import AgentContract, Roster, ShiftSetup, StaffingQueue

SETUP = """
interval_minutes: 30
rules:
  min_rest_hours: 11
  max_consecutive_days: 6
  consecutive_days_off: true
shifts:
  - name: 早班
    start: "08:00"
    hours: 9
    breaks: [{after: ["3h30m", "4h", "4h30m"], minutes: 60}]
  - name: 中班
    start: "10:00"
    hours: 9
    breaks: [{after: ["3h", "3h30m", "4h"], minutes: 60}]
  - name: 晚班
    start: "13:00"
    hours: 9
    breaks: [{after: ["4h", "4h30m", "5h"], minutes: 60}]
  - name: 两头班
    parts: [["08:30", "12:30"], ["17:00", "21:00"]]
"""


def load_demo(*, now: datetime) -> dict:
    """Plan next week for the demo center and publish its roster; returns counts for the loader's summary."""
    from kefu.workforce.synthetic import Shape, generate

    agents = services.schedulable_agents()
    if not agents:
        return {"shifts": 0}
    for user in agents[:2]:  # two agents with a day-shift-only contract, as a real center has
        AgentContract.objects.get_or_create(user=user, defaults={"no_nights": True, "prefers": "早班"})
    queue, _ = StaffingQueue.objects.get_or_create(code="hotline", defaults={
        "name": "热线", "name_en": "Hotline", "interval_minutes": 30, "patience_s": 120})
    setup, _ = ShiftSetup.objects.get_or_create(name="两班制＋两头班", defaults={"patterns_yaml": SETUP})
    today = now.date()
    week = today + timedelta(days=7 - today.weekday())
    # Demand sized to the agents: about 40 calls a day for each of them at four minutes a call.
    shape = Shape(daily_calls=40 * len(agents), opens=8, closes=21, aht_s=240)
    history = generate(week - timedelta(days=364), 364, shape=shape, seed=2026)
    services.plan_requirement(actor=None, queue_id=queue.pk, week=week, history=history, now=now)
    run = services.request_schedule(actor=None, week=week, setup_id=setup.pk, now=now)
    services.execute_run(run_id=run.pk, now=now)
    roster = Roster.objects.filter(week=week).first()
    if roster is not None and services.roster_check(roster)["ok"]:
        services.publish_roster(actor=None, roster_id=roster.pk, version=roster.version, now=now)
    return {"week": date.isoformat(week), "shifts": roster.shifts.count() if roster else 0}
