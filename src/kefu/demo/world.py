"""A small named world: a center with two service teams, a field crew, one user per role and a VIP customer.

The tests' `world` fixture (kefu.testing) and the benchmarks (kefu.bench) build it; it is made through the
services, like the demo.
"""

from dataclasses import dataclass

from kefu.accounts.models import Department, Team, User
from kefu.accounts.roles import Role
from kefu.accounts.services import create_department, create_team, create_user, issue_token
from kefu.customers.models import Customer
from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput, create_customer
from kefu.tickets.services import TicketInput, create_ticket


@dataclass
class World:
    service: Department
    field: Department
    team_a: Team
    team_b: Team
    crew: Team
    agent: User  # 坐席 in team A
    agent_b: User  # 坐席 in team B
    handler: User  # 投诉处理席 in team A
    info_desk: User
    lead: User  # 班长 of team A
    qa: User
    supervisor: User
    manager: User
    director: User
    fieldman: User  # 维修 in the crew
    account_manager: User
    admin: User
    customer: Customer
    security_admin: User = None  # 安全管理员 (三员分立)
    auditor: User = None  # 安全审计员: reads and exports the audit log only

    def token(self, user: User) -> str:
        return issue_token(actor=None, user=user, name="test")[1]

    def auth(self, user: User) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token(user)}"}

    def ticket(self, *, by: User | None = None, now=None, **kwargs):
        data = {"type": "inquiry", "title": "燃气费怎么交", "contact_phone": "13812341234", **kwargs}
        return create_ticket(actor=by or self.agent, data=TicketInput(**data), now=now)


def ensure_reference_data() -> None:
    """Default ticket types, calendars, SLA policies and phrases, as the data migrations install them.

    A transactional test (threads, real commits) ends with a flush that removes migration data, so the
    world puts it back before every build; both installers skip what exists."""
    from kefu.callbacks.defaults import install_default_rules
    from kefu.callbacks.models import CallbackRule
    from kefu.core.configcache import invalidate_all
    from kefu.phrases.defaults import install_default_phrases
    from kefu.phrases.models import Phrase
    from kefu.sla import defaults as sla_defaults
    from kefu.sla.models import BusinessCalendar, EscalationRung, SlaPolicy
    from kefu.tickets.defaults import install_default_types
    from kefu.tickets.models import TicketField, TicketType

    install_default_types(TicketType, TicketField)
    install_default_rules(CallbackRule, TicketType)
    sla_defaults.install(BusinessCalendar, SlaPolicy, EscalationRung, TicketType)
    install_default_phrases(Phrase)
    from django.utils import timezone

    from kefu.quality.defaults import install_defaults
    from kefu.quality.models import CheckRules, Scorecard, ScorecardVersion

    install_defaults(Scorecard, ScorecardVersion, CheckRules, now=timezone.now())
    invalidate_all()


def build_world() -> World:
    ensure_reference_data()
    service = create_department(actor=None, name="客服部")
    field = create_department(actor=None, name="安装维修队", kind=Department.Kind.FIELD)
    team_a = create_team(actor=None, department=service, name="一班")
    team_b = create_team(actor=None, department=service, name="二班")
    crew = create_team(actor=None, department=field, name="城东维修组", is_field_crew=True)

    def user(username, role, team=None, no=None):
        return create_user(actor=None, username=username, password="kefu-Test-2026", role=role, team=team,
                           agent_no=no, display_name=username)

    account_manager = user("am", Role.ACCOUNT_MANAGER, None, "9001")
    customer = create_customer(actor=None, data=CustomerInput(
        name="王小明", tier=Customer.Tier.VIP, id_number="110101199001011237", account_manager_id=account_manager.pk,
        contacts=[ContactInput(kind="mobile", value="13812341234"), ContactInput(kind="address", value="城东路1号")],
        references=[ReferenceInput(kind="meter", value="M-0001")],
    ))
    return World(
        service=service, field=field, team_a=team_a, team_b=team_b, crew=crew,
        agent=user("agent", Role.AGENT, team_a, "1001"),
        agent_b=user("agent_b", Role.AGENT, team_b, "2001"),
        handler=user("handler", Role.COMPLAINT_HANDLER, team_a, "1002"),
        info_desk=user("info", Role.INFO_DESK, team_a, "1003"),
        lead=user("lead", Role.TEAM_LEAD, team_a, "1000"),
        qa=user("qa", Role.QA_INSPECTOR, None, "8001"),
        supervisor=user("supervisor", Role.SUPERVISOR, None, "7001"),
        manager=user("manager", Role.MANAGER, None, "7002"),
        director=user("director", Role.DIRECTOR, None, "7003"),
        fieldman=user("fieldman", Role.FIELD_CREW, crew, "5001"),
        account_manager=account_manager,
        admin=user("admin", Role.ADMIN, None, "0001"),
        customer=customer,
        security_admin=user("security", Role.SECURITY_ADMIN, None, "0002"),
        auditor=user("auditor", Role.AUDITOR, None, "0003"),
    )
