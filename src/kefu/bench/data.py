"""Realistic bench data: a center built through the account services, customers, and ticket plans in 中文/English."""

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from kefu.accounts.models import Department, Team, User
from kefu.accounts.roles import Role
from kefu.accounts.services import create_department, create_team, create_user, issue_token
from kefu.customers.models import Customer
from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput, create_customer
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import TicketField, TicketType
from kefu.tickets.services import TicketInput

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞"]
DISTRICTS = ["城东区", "城西区", "高新区", "经开区", "滨江新区", "老城区"]
ROADS = ["人民路", "解放路", "中山大道", "建设路", "Riverside Rd", "科技园一路", "长江路"]
SUBJECTS = {
    "inquiry": ["燃气费怎么交", "营业厅几点开门", "如何办理过户", "阶梯气价 tiered pricing 怎么算",
                "APP 绑定户号失败", "How do I get an e-invoice 电子发票", "开户需要什么材料"],
    "repair": ["燃气表不走字", "热水器打不着火", "Meter display blank 表显示空白", "IC 卡充值后无法用气",
               "壁挂炉 E1 故障", "管道有异响 strange noise"],
    "complaint": ["维修师傅迟到两小时", "客服态度差 rude agent", "重复收费 charged twice", "安装工期延误",
                  "维修后问题依旧 still broken"],
    "emergency": ["楼道有燃气味 gas smell", "小区大面积停气", "施工挖断燃气管道"],
    "after_sales": ["报警器退货 return request", "燃气灶换货", "发票抬头开错"],
    "bug": ["APP 缴费页面白屏", "Login fails with error 502", "账单金额显示为负数"],
}
GENERIC_SUBJECTS = ["客户来电反映问题", "Customer follow-up 跟进", "用户建议增加夜间服务", "小区集中反映情况"]
SENTENCES = [
    "客户称从{d}天前开始出现该问题。", "The customer says it started {d} days ago.", "已核实户号，信息无误。",
    "客户要求尽快上门处理 ASAP。", "家中有老人，请师傅提前电话联系。",
    "Caller asked for an English-speaking technician.", "上次维修单号 GD{n:08d}，问题复现。",
    "客户表示如不处理将向 12345 反映。", "表号 M-{n:06d}，读数 {d}.{d}m³。", "Prefers a callback after 18:00.",
    "已告知客户安全注意事项：开窗通风，勿开关电器。",
]
REPLIES = [
    "您好，已为您登记，师傅将在 24 小时内联系您。", "Hello, your request is logged; a technician will call within 24h.",
    "已电话回访客户，问题已解决，客户满意。", "已派单至维修组，预约明天上午上门。",
    "We refunded the duplicate charge today.",
]
NOTES = ["内部备注：客户情绪激动，注意安抚。", "Internal: checked the billing system, charge is duplicated.",
         "已与班长确认处理方案。"]
CUSTOMER_SAYS = ["师傅还没到，请催一下 please hurry", "谢谢，问题已经好了。", "Any update on my ticket?"]
CHANNELS = {"phone": 50, "wechat": 15, "chat": 10, "web_form": 8, "email": 5, "12345": 5, "walk_in": 4, "qq": 3}
TYPE_WEIGHTS = {"inquiry": 35, "repair": 20, "complaint": 10, "after_sales": 8, "emergency": 3, "bug": 5,
                "suggestion": 5, "survey": 4, "audit": 3, "callback": 7}
# Where tickets end up: about a third still open, the rest resolved or closed.
TARGETS = {Status.ASSIGNED: 10, Status.IN_PROGRESS: 10, Status.WAITING_CUSTOMER: 8, Status.WAITING_OTHER: 7,
           Status.RESOLVED: 15, Status.CALLBACK: 5, Status.CLOSED: 45}


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@dataclass
class Org:
    """The center the bench works in; agents are the people who open and handle tickets."""

    departments: list[Department]
    service_teams: list[Team]
    complaint_teams: list[Team]
    crews: list[Team]
    agents: list[User]
    customers: list[tuple[int, str]]  # (id, mobile)
    others: int  # leads, supervisor, account managers, field crew
    tokens: dict[int, str] = field(default_factory=dict)
    members: dict[int, list[User]] = field(default_factory=dict)
    by_id: dict[int, User] = field(default_factory=dict)


def build_org(rng: random.Random, customers: int, progress) -> Org:
    """~8 teams of 10 agents and a lead, two field crews, a supervisor, account managers, then customers."""
    service = create_department(actor=None, name="客服部")
    complaints = create_department(actor=None, name="投诉处理中心")
    engineering = create_department(actor=None, name="工程部", kind=Department.Kind.ENGINEERING)
    field_dept = create_department(actor=None, name="安装维修队", kind=Department.Kind.FIELD)
    service_teams = [create_team(actor=None, department=service, name=f"客服{n}班") for n in "一二三四五六"]
    complaint_teams = [create_team(actor=None, department=complaints, name=f"投诉{n}组") for n in "一二"]
    create_team(actor=None, department=engineering, name="管网所")
    crews = [create_team(actor=None, department=field_dept, name=name, is_field_crew=True)
             for name in ("城东维修组", "城西维修组")]
    no = iter(range(1000, 10000))

    def user(role, team, prefix):
        # No password: hashing one costs ~0.3 s of PBKDF2 and the bench authenticates with API tokens.
        number = next(no)
        return create_user(actor=None, username=f"{prefix}{number}", password=None, role=role, team=team,
                           agent_no=str(number), display_name=person(rng))

    agents, others = [], 0
    for team in service_teams + complaint_teams:
        user(Role.TEAM_LEAD, team, "lead")
        role = Role.COMPLAINT_HANDLER if team in complaint_teams else Role.AGENT
        agents += [user(role, team, "agent") for _ in range(10)]
        others += 1
    for crew in crews:
        for _ in range(5):
            user(Role.FIELD_CREW, crew, "crew")
            others += 1
    user(Role.SUPERVISOR, None, "sup")
    managers = [user(Role.ACCOUNT_MANAGER, None, "am") for _ in range(3)]
    others += 4
    org = Org([service, complaints, engineering, field_dept], service_teams, complaint_teams, crews, agents, [],
              others)
    for agent in agents:
        org.tokens[agent.pk] = issue_token(actor=None, user=agent, name="bench")[1]
        org.members.setdefault(agent.team_id, []).append(agent)
        org.by_id[agent.pk] = agent
    for i in range(customers):
        phone = mobile(rng)
        tier = pick(rng, {Customer.Tier.NORMAL: 85, Customer.Tier.STAR: 8, Customer.Tier.VIP: 5,
                          Customer.Tier.GROUP: 2})
        customer = create_customer(actor=None, data=CustomerInput(
            name=person(rng) if tier != Customer.Tier.GROUP else f"{rng.choice(DISTRICTS)}物业管理有限公司{i}",
            kind=Customer.Kind.ORGANISATION if tier == Customer.Tier.GROUP else Customer.Kind.PERSON,
            tier=tier, account_manager_id=rng.choice(managers).pk if tier != Customer.Tier.NORMAL else None,
            contacts=[ContactInput(kind="mobile", value=phone), ContactInput(kind="address", value=address(rng))],
            references=[ReferenceInput(kind="meter", value=f"M-{i:07d}")],
        ))
        org.customers.append((customer.pk, phone))
        if (i + 1) % 1000 == 0:
            progress.say(f"customers {i + 1}/{customers}")
    return org


def address(rng: random.Random) -> str:
    return f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋"


def text(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(SENTENCES).format(d=rng.randint(1, 9), n=rng.randrange(10**6))
                   for _ in range(count))


def custom_value(rng: random.Random, definition: TicketField):
    kind = definition.kind
    if kind == TicketField.Kind.CHOICE:
        return rng.choice(definition.choices)
    if kind == TicketField.Kind.DATE:
        return (timezone.localdate() + timedelta(days=rng.randint(1, 15))).isoformat()
    if kind == TicketField.Kind.NUMBER:
        return rng.randint(1, 500)
    if kind == TicketField.Kind.BOOLEAN:
        return rng.random() < 0.5
    return f"{definition.key.upper()[:3]}-{rng.randrange(10**6):06d}"


@dataclass
class Plan:
    """One ticket to open and what then happens to it: replies, and transitions towards `target`."""

    actor: User
    data: TicketInput
    at: datetime
    target: str
    replies: int


class TicketPlans:
    """A deterministic stream of ticket plans: same seed and org, same tickets (the raw floor replays them)."""

    def __init__(self, org: Org, seed: int, n: int, span_days: int = 90):
        self.org, self.n = org, n
        self.rng = random.Random(seed)
        self.types = {t.code: t for t in TicketType.objects.filter(active=True).prefetch_related("fields")}
        self.type_weights = {code: TYPE_WEIGHTS.get(code, 2) for code in self.types}
        self.end = timezone.now() - timedelta(hours=1)
        self.step = timedelta(days=span_days) / max(n, 1)

    def __iter__(self):
        for i in range(self.n):
            yield self.plan(i)

    def plan(self, i: int) -> Plan:
        rng, org = self.rng, self.org
        code = pick(rng, self.type_weights)
        ticket_type = self.types[code]
        creator = rng.choice(org.agents)
        team = creator.team_id
        if ticket_type.is_complaint:
            team = rng.choice(org.complaint_teams).pk
        roll = rng.random()
        if roll < 0.13:
            assignee = None
        elif team != creator.team_id or roll < 0.25:
            assignee = rng.choice(org.members[team])
        else:
            assignee = creator
        customer_id, phone = rng.choice(org.customers) if rng.random() < 0.7 else (None, mobile(rng))
        at = self.end - self.step * (self.n - i) + timedelta(seconds=rng.randint(0, 300))
        priority = 4 if ticket_type.is_emergency else pick(rng, {1: 15, 2: 60, 3: 20, 4: 5})
        if ticket_type.is_complaint:
            priority = max(priority, 3)
        fields = [f for f in ticket_type.fields.all() if f.required or rng.random() < 0.5]
        subject = rng.choice(SUBJECTS.get(code, GENERIC_SUBJECTS))
        data = TicketInput(
            type=code, title=subject if rng.random() < 0.7 else f"{subject}（第{rng.randint(2, 4)}次来电）",
            description=text(rng, rng.randint(2, 4)), reporter_name=person(rng), location=address(rng),
            occurred_at=at - timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.6 else None,
            cause=text(rng, 1) if rng.random() < 0.3 else "", contact_phone=phone,
            channel=pick(rng, CHANNELS), priority=priority, customer_id=customer_id, team_id=team,
            assignee_id=assignee.pk if assignee else None,
            custom={f.key: custom_value(rng, f) for f in fields},
        )
        target = pick(rng, TARGETS)
        if assignee is None and target == Status.ASSIGNED:
            target = Status.NEW
        if ticket_type.is_complaint and target == Status.CLOSED:
            # A complaint closes only through its closed loop (findings, callback, acceptance — TK7), which
            # the ticket bench does not play: it stops at 回访, where the callback queue takes over.
            target = Status.CALLBACK
        return Plan(actor=creator, data=data, at=at, target=target, replies=rng.randint(1, 3))

    def message(self) -> tuple[str, str]:
        kind = pick(self.rng, {"reply": 6, "note": 2, "customer": 2})
        pool = {"reply": REPLIES, "note": NOTES, "customer": CUSTOMER_SAYS}[kind]
        return kind, self.rng.choice(pool)

    def path(self, code: str, start: str, target: str) -> list[str]:
        """Statuses to pass through from start to target along the type's lifecycle (via in progress first)."""
        allowed = self.types[code].allowed_next
        if target == start:
            return []
        steps, current = [], start
        if target != Status.IN_PROGRESS and Status.IN_PROGRESS in allowed(start):
            steps, current = [Status.IN_PROGRESS], Status.IN_PROGRESS
        seen, queue = {current: None}, deque([current])
        while queue:
            status = queue.popleft()
            if status == target:
                break
            for nxt in allowed(status):
                if nxt not in seen and nxt != Status.ASSIGNED:
                    seen[nxt] = status
                    queue.append(nxt)
        if target not in seen:
            # This type never reaches the target (an inquiry has no callback step): close it instead.
            return self.path(code, start, Status.CLOSED) if target != Status.CLOSED else steps
        route = []
        while target != current:
            route.append(target)
            target = seen[target]
        return steps + route[::-1]
