"""Quality inspection in the demo center: each service team's sampling plan, this month's sample, a few scores
and the agents' appraisal rule, so the inspector's queue and the KPI pages have something on the first login."""

import random
from datetime import datetime

from kefu.accounts.models import Team, User
from kefu.accounts.roles import Role
from kefu.quality.services import sample_month, save_plan, score_contact
from kefu.quality.services.common import local_month


def load_demo(*, now: datetime, scored: int = 12) -> dict:
    """Plans for the service teams, this month's sample, and `scored` of the samples scored by an inspector."""
    from kefu.kpi.appraisal import ItemInput, save_rule
    from kefu.quality.models import Sample

    for team in Team.objects.filter(is_field_crew=False):
        save_plan(actor=None, team_id=team.pk, per_agent=3)
    result = sample_month(actor=None, month=local_month(now), seed="demo", now=now)
    inspector = User.objects.filter(role=Role.QA_INSPECTOR, is_active=True).order_by("pk").first()
    rng, done = random.Random("kefu-demo:quality"), 0
    if inspector is not None:
        for sample in Sample.objects.exclude(contact__agent=inspector).order_by("pk")[:scored]:
            item = rng.choice(["opening", "closing", "accuracy", "record_5w1h"])
            score_contact(actor=inspector, contact_id=sample.contact_id, now=now, deductions={item: rng.choice([2, 5])})
            done += 1
    save_rule(actor=None, role=Role.AGENT, name="坐席月度考核", min_score=60, items=[
        ItemInput("qa", 40, 60, 100), ItemInput("csat", 30, 60, 100), ItemInput("fcr", 20, 50, 90),
        ItemInput("sla", 10, 70, 100)])
    return {**result, "scored": done}
