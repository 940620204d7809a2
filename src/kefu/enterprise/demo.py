"""Demo content of the enterprise pack: graded enterprise customers, a 重保 with its roster and hours, inspections."""

from datetime import datetime, timedelta

from kefu.customers.models import Customer
from kefu.enterprise import services

SCALES = ["a", "b", "b", "c", "c", "d"]


def load_demo(*, center, customers, now: datetime) -> dict:
    """Grade the demo's organisations, give the key ones the green channel, one assurance, two plans."""
    from kefu.accounts.models import Team, User

    orgs = list(Customer.objects.filter(pk__in=[c.pk for c in customers], kind=Customer.Kind.ORGANISATION)
                .order_by("pk")[:len(SCALES)])
    managers = list(User.objects.filter(role="account_manager", is_active=True).order_by("pk")[:2])
    second_line = Team.objects.filter(is_field_crew=True).order_by("pk").first()
    services.set_green_channel(actor=None, second_line_team_id=second_line.pk if second_line else None,
                               fault_types=["repair", "emergency"])
    for index, customer in enumerate(orgs):
        scale = SCALES[index % len(SCALES)]
        services.set_profile(actor=None, customer_id=customer.pk, now=now, data=services.ProfileInput(
            category="industry" if index % 2 == 0 else "business",
            attribute=["integrated", "solution", "multiple", "single"][index % 4], scale=scale,
            annual_revenue_wan=[800, 300, 260, 90, 60, 12][index % 6], users=[5000, 1200, 900, 300, 150, 40][index % 6],
            green_channel=scale in ("a", "b"),
            account_manager_id=managers[index % len(managers)].pk if managers else None))
    if not orgs:
        return {"profiles": 0}
    start = (now - timedelta(days=20)).replace(hour=8, minute=0)
    period = services.create_assurance(actor=None, customer_id=orgs[0].pk, title="年度股东大会通信与供气保障",
                                       starts_at=start, ends_at=start + timedelta(hours=12),
                                       notes="现场驻点两人，热线专席一人，抢修车辆待命。", now=now)
    duty_people = list(User.objects.filter(role__in=["team_lead", "field_crew"], is_active=True).order_by("pk")[:3])
    for person in duty_people:
        services.add_duty(actor=None, period_id=period.pk, user_id=person.pk, starts_at=start,
                          ends_at=start + timedelta(hours=12))
        services.log_hours(actor=person, period_id=period.pk, day=start.date(), minutes=720, note="全程值守", now=now)
    for customer in orgs[:2]:
        services.create_plan(actor=None, customer_id=customer.pk, title="季度设施巡检", every_months=3,
                             first_due_on=(now + timedelta(days=7)).date(),
                             checklist=["调压箱", "管道防腐", "燃气报警器", "紧急切断阀"])
    return {"profiles": len(orgs), "assurances": 1, "inspection_plans": min(2, len(orgs))}
