"""The calendars and policies a new center starts with; installed by a data migration, edited in the admin.

Numbers follow the seeds where they give one (the customer gets the answer within 3 days, 003 工作细则;
complaints go 坐席 → 投诉处理席 → 班长 → 主管 → 经理, 002) and are defaults, never hard-coded rules.
"""

OFFICE = "09:00-12:00,13:00-18:00"

CALENDARS = [
    {"name": "标准工作日", "always_open": False, "cn_holidays": True,
     "hours": {str(d): OFFICE for d in range(5)} | {"5": "", "6": ""}},
    {"name": "7×24 热线", "always_open": True, "cn_holidays": False, "hours": {}},
]

_LEAD = {"action": "notify_team_lead", "delay_minutes": 0}


def _role(role, delay, sms=False):
    return {"action": "notify_role", "role": role, "delay_minutes": delay, "sms": sms}


POLICIES = [
    {"name": "抢修 7×24", "position": 10, "calendar": "7×24 热线", "ticket_type": "emergency",
     "first_response": "15m", "resolution": "4h", "callback": "1wd", "pause_statuses": [], "warn_percent": 50,
     "rungs": [_LEAD, _role("supervisor", 30, sms=True), _role("manager", 60, sms=True)]},
    {"name": "绿色通道 VIP", "position": 20, "calendar": "标准工作日", "tier": "vip",
     "first_response": "1h", "next_reply": "2h", "resolution": "1wd", "callback": "1wd",
     "pause_statuses": ["waiting_customer"], "rungs": [_LEAD, _role("supervisor", 60, sms=True)]},
    {"name": "绿色通道 集团客户", "position": 21, "calendar": "标准工作日", "tier": "group",
     "first_response": "1h", "next_reply": "2h", "resolution": "1wd", "callback": "1wd",
     "pause_statuses": ["waiting_customer"], "rungs": [_LEAD, _role("supervisor", 60, sms=True)]},
    {"name": "投诉", "position": 30, "calendar": "标准工作日", "ticket_type": "complaint",
     "first_response": "2h", "next_reply": "4h", "resolution": "3wd", "callback": "1wd",
     "pause_statuses": ["waiting_customer"],
     # The first rung moves the ticket to the complaint handlers' queue once an administrator names that team.
     "rungs": [{"action": "reassign", "delay_minutes": 0}, _LEAD, _role("supervisor", 240), _role("manager", 480)]},
    {"name": "默认", "position": 100, "calendar": "标准工作日",
     "first_response": "4h", "next_reply": "4h", "resolution": "3wd", "callback": "2wd",
     "pause_statuses": ["waiting_customer", "waiting_other"], "rungs": [_LEAD, _role("supervisor", 480)]},
]


def install(calendar_model, policy_model, rung_model, ticket_type_model) -> None:
    """Create what does not exist yet (by name); takes models so a migration can pass its historical ones."""
    calendars = {}
    for spec in CALENDARS:
        calendars[spec["name"]], _created = calendar_model.objects.get_or_create(
            name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"})
    for spec in POLICIES:
        if policy_model.objects.filter(name=spec["name"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("rungs", "calendar", "ticket_type")}
        ticket_type = (ticket_type_model.objects.filter(code=spec["ticket_type"]).first()
                       if spec.get("ticket_type") else None)
        policy = policy_model.objects.create(calendar=calendars[spec["calendar"]], ticket_type=ticket_type,
                                             **fields)
        for position, rung in enumerate(spec["rungs"]):
            rung_model.objects.create(policy=policy, position=position, **rung)
