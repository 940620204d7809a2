"""The demo call center: departments, teams and one or more users for every role, built through the services."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from kefu.accounts.models import Department, Team, User
from kefu.accounts.roles import Role
from kefu.accounts.services import create_department, create_team, create_user
from kefu.demo.people import People

PASSWORD = "kefu2026"  # noqa: S105 — the published password of the demo logins, printed by `kefu demo`
GAS, SHOP, GAME = "gas", "shop", "game"
BUSINESSES = (GAS, SHOP, GAME)

# (department, kind, [(team, field crew?)]); service teams are listed per business below.
DEPARTMENTS = [
    ("燃气客服部", Department.Kind.SERVICE, [("燃气一班", False), ("燃气二班", False)]),
    ("电商客服部", Department.Kind.SERVICE, [("售后组", False), ("评价与投诉组", False)]),
    ("游戏客服部", Department.Kind.SERVICE, [("玩家服务一组", False), ("玩家服务二组", False)]),
    ("工程部", Department.Kind.ENGINEERING, [("勘察设计组", False), ("管网运行组", False)]),
    ("安装维修队", Department.Kind.FIELD, [("城东维修组", True), ("城西维修组", True), ("应急抢修队", True)]),
    ("数据部", Department.Kind.DATA, [("计费数据组", False)]),
    ("运行维护部", Department.Kind.OPERATIONS, [("游戏运维值班组", False)]),
    ("中心管理部", Department.Kind.OTHER, [("质检组", False)]),
]
SERVICE_TEAMS = {GAS: ["燃气一班", "燃气二班"], SHOP: ["售后组", "评价与投诉组"],
                 GAME: ["玩家服务一组", "玩家服务二组"]}
AGENTS_PER_TEAM = 5
# 工号 blocks by business: the number tells a supervisor at a glance where an agent sits.
AGENT_NO_BASE = {GAS: 1000, SHOP: 2000, GAME: 3000}


@dataclass
class Center:
    """Everything the ticket loader needs to know about the people of the center."""

    admin: User
    teams: dict[str, Team]
    agents: dict[str, list[User]] = field(default_factory=dict)  # business → agents
    by_team: dict[int, list[User]] = field(default_factory=dict)  # team id → agents and handlers in it
    leads: dict[int, User] = field(default_factory=dict)  # team id → team lead
    handlers: dict[str, User] = field(default_factory=dict)  # business → complaint handler
    info_desk: dict[str, User] = field(default_factory=dict)  # business → information desk
    crew_members: dict[int, list[User]] = field(default_factory=dict)  # crew team id → members
    account_managers: list[User] = field(default_factory=list)
    supervisor: User | None = None
    manager: User | None = None
    director: User | None = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username(s), role, team)

    def team_of(self, business: str, index: int) -> Team:
        """The business's first (0) or second (1) service team."""
        return self.teams[SERVICE_TEAMS[business][index]]


def build_center(rng: random.Random, people: People) -> Center:
    """Create departments, teams and about sixty users; the administrator sets everything else up."""
    # The administrator is the one account the machine's operator creates (actor=None); every later
    # change is done by that administrator, as it would be in a real installation.
    # All demo users share one published password: hash it once at full strength, not sixty times.
    password_hash = make_password(PASSWORD)

    def user(actor, username, role, team, agent_no, male=None) -> User:
        """One user with a generated Chinese name and mobile and the demo password."""
        name, _pinyin, _male = people.person(male)
        made = create_user(actor=actor, username=username, password=None, password_hash=password_hash,
                           role=role, team=team, agent_no=agent_no, display_name=name, mobile=people.mobile())
        return made

    admin = user(None, "admin", Role.ADMIN, None, "0001", male=True)
    teams: dict[str, Team] = {}
    for dept_name, kind, team_specs in DEPARTMENTS:
        department = create_department(actor=admin, name=dept_name, kind=kind)
        for team_name, crew in team_specs:
            teams[team_name] = create_team(actor=admin, department=department, name=team_name, is_field_crew=crew)
    center = Center(admin=admin, teams=teams)
    center.logins.append(("admin", Role.ADMIN.label, "—"))

    agent_index = 0
    lead_index = 0
    for business in BUSINESSES:
        center.agents[business] = []
        for t, team_name in enumerate(SERVICE_TEAMS[business]):
            team = teams[team_name]
            lead_index += 1
            base = AGENT_NO_BASE[business] + t * 100
            center.leads[team.pk] = user(admin, f"lead{lead_index:02d}", Role.TEAM_LEAD, team, str(base))
            members = []
            first = agent_index + 1
            for n in range(1, AGENTS_PER_TEAM + 1):
                agent_index += 1
                members.append(user(admin, f"agent{agent_index:02d}", Role.AGENT, team, str(base + n)))
            center.agents[business] += members
            center.by_team[team.pk] = list(members)
            label = f"{team.department.name}/{team.name}"
            center.logins.append((f"lead{lead_index:02d}", Role.TEAM_LEAD.label, label))
            center.logins.append((f"agent{first:02d} … agent{agent_index:02d}", Role.AGENT.label, label))
        # One complaint handler (投诉处理席) per business sits in the first team; the information desk
        # (信息席) in the second, next to the agents whose questions it answers.
        first_team, second_team = (teams[name] for name in SERVICE_TEAMS[business])
        number = BUSINESSES.index(business) + 1
        handler = user(admin, f"handler{number:02d}", Role.COMPLAINT_HANDLER, first_team,
                        str(AGENT_NO_BASE[business] + 90))
        center.handlers[business] = handler
        center.by_team[first_team.pk].append(handler)
        center.info_desk[business] = user(admin, f"info{number:02d}", Role.INFO_DESK, second_team,
                                           str(AGENT_NO_BASE[business] + 190))
        center.logins.append((f"handler{number:02d}", Role.COMPLAINT_HANDLER.label,
                              f"{first_team.department.name}/{first_team.name}"))
        center.logins.append((f"info{number:02d}", Role.INFO_DESK.label,
                              f"{second_team.department.name}/{second_team.name}"))

    crew_index = 0
    for c, crew_name in enumerate(("城东维修组", "城西维修组", "应急抢修队")):
        crew = teams[crew_name]
        first = crew_index + 1
        center.crew_members[crew.pk] = []
        for n in range(1, 4):
            crew_index += 1
            center.crew_members[crew.pk].append(
                user(admin, f"field{crew_index:02d}", Role.FIELD_CREW, crew, str(5000 + c * 10 + n),
                      male=rng.random() < 0.9))
        center.logins.append((f"field{first:02d} … field{crew_index:02d}", Role.FIELD_CREW.label,
                              f"安装维修队/{crew_name}"))

    qa_team = teams["质检组"]
    for n in (1, 2):
        user(admin, f"qa{n:02d}", Role.QA_INSPECTOR, qa_team, str(8000 + n))
        center.logins.append((f"qa{n:02d}", Role.QA_INSPECTOR.label, "中心管理部/质检组"))
    center.supervisor = user(admin, "supervisor", Role.SUPERVISOR, None, "7001")
    center.manager = user(admin, "manager", Role.MANAGER, None, "7002")
    center.director = user(admin, "director", Role.DIRECTOR, None, "7003")
    for username, role in (("supervisor", Role.SUPERVISOR), ("manager", Role.MANAGER), ("director", Role.DIRECTOR)):
        center.logins.append((username, role.label, "—"))
    for n in (1, 2):
        center.account_managers.append(user(admin, f"am{n:02d}", Role.ACCOUNT_MANAGER, None, str(9000 + n)))
        center.logins.append((f"am{n:02d}", Role.ACCOUNT_MANAGER.label, "—"))
    # 三员分立: the security administrator and the auditor, beside the administrator.
    # Named by their office and created without the name generator, so the rest of the demo stays as it was.
    for username, role, agent_no, name in (("security", Role.SECURITY_ADMIN, "0002", "安全管理员"),
                                           ("auditor", Role.AUDITOR, "0003", "安全审计员")):
        create_user(actor=admin, username=username, password=None, password_hash=password_hash, role=role,
                    agent_no=agent_no, display_name=name)
        center.logins.append((username, role.label, "—"))

    return center
