"""Roles of the center (PF5, SE1) and what each may do. One table, read by every permission check."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    INFO_DESK = "info_desk", _("Information desk")
    TEAM_LEAD = "team_lead", _("Team lead")
    QA_INSPECTOR = "qa_inspector", _("QA inspector")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    DIRECTOR = "director", _("Director")
    FIELD_CREW = "field_crew", _("Field crew")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    ADMIN = "admin", _("Administrator")
    # 三员分立 (MLPS level 3): the administrator (系统管理员) runs the system, the security administrator
    # (安全管理员) the security settings and accounts' locks and second factors, the auditor (安全审计员) reads
    # and exports the audit log. Neither of the last two handles tickets or sees customers.
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


class Scope(models.TextChoices):
    """Which tickets a role sees; interpreted by TicketQuerySet.visible_to."""

    OWN_AND_TEAM = "own_and_team"
    TEAM = "team"
    CENTER = "center"
    DISPATCHED = "dispatched"
    OWN_CUSTOMERS = "own_customers"


TICKET_SCOPE: dict[str, Scope] = {
    Role.AGENT: Scope.OWN_AND_TEAM,
    Role.COMPLAINT_HANDLER: Scope.OWN_AND_TEAM,
    Role.INFO_DESK: Scope.OWN_AND_TEAM,
    Role.TEAM_LEAD: Scope.TEAM,
    # QA samples interactions across the whole center (QA1), so it reads everything.
    Role.QA_INSPECTOR: Scope.CENTER,
    Role.SUPERVISOR: Scope.CENTER,
    Role.MANAGER: Scope.CENTER,
    Role.DIRECTOR: Scope.CENTER,
    Role.FIELD_CREW: Scope.DISPATCHED,
    Role.ACCOUNT_MANAGER: Scope.OWN_CUSTOMERS,
    Role.ADMIN: Scope.CENTER,
}

# Who may reveal a full phone or ID number (CU6). Everyone else only ever sees 138****1234.
# QA and the information desk work from recordings and articles, not from customer contact data.
CAN_REVEAL_PII = frozenset({
    Role.AGENT, Role.COMPLAINT_HANDLER, Role.TEAM_LEAD, Role.SUPERVISOR, Role.MANAGER,
    Role.DIRECTOR, Role.FIELD_CREW, Role.ACCOUNT_MANAGER, Role.ADMIN,
})

# Who may create and change tickets at all (QA reads and scores, it does not handle).
CAN_HANDLE_TICKETS = frozenset(set(Role) - {Role.QA_INSPECTOR, Role.SECURITY_ADMIN, Role.AUDITOR})

# Who may change customer records (tier, account manager, status).
CAN_EDIT_CUSTOMERS = frozenset({
    Role.AGENT, Role.COMPLAINT_HANDLER, Role.INFO_DESK, Role.TEAM_LEAD, Role.SUPERVISOR,
    Role.MANAGER, Role.DIRECTOR, Role.ACCOUNT_MANAGER, Role.ADMIN,
})

# Who may merge tickets, bulk import and see the whole center's exports.
CAN_SUPERVISE = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})

# Who decides what falls outside the center's remit (TK8: a request passed to the manager).
CAN_DECIDE_REFERRALS = frozenset({Role.MANAGER, Role.DIRECTOR, Role.ADMIN})

# Who sets up the center: departments, teams, users, ticket types.
CAN_ADMINISTER = frozenset({Role.ADMIN})

# Who keeps the knowledge base, scripts, memos and the daily briefing (KB1–KB5): the information desk
# (信息席) does the daily work; team leads and management optimise scripts and review articles.
CAN_MANAGE_KNOWLEDGE = frozenset({
    Role.INFO_DESK, Role.TEAM_LEAD, Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN,
})

# Who reads, searches and exports the audit log (and changes nothing): the auditor alone, so that the
# administrators whose acts it records cannot read it selectively or remove entries.
CAN_READ_AUDIT = frozenset({Role.AUDITOR})

# Who keeps the security settings: unlocking accounts, resetting a second factor, revoking tokens.
CAN_MANAGE_SECURITY = frozenset({Role.SECURITY_ADMIN})

# Roles that must log in with a second factor (TOTP); everyone else may turn it on.
REQUIRES_TWO_FACTOR = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})

# Roles that never see customers (三员分立: security administrator and auditor work on the system, not on cases).
NO_CUSTOMER_DATA = frozenset({Role.SECURITY_ADMIN, Role.AUDITOR})
# Who sees bonus and revenue figures (奖金分配, seed 002: the supervisor and deputy supervisor allocate bonuses).
CAN_SEE_BONUS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})

# Who sees revenue figures (takings, daily sales amounts, shift differences): the finance line of the desk
# (000 前台收费 §5: income data is not shown to anyone without the need). Everyone else sees counts.
CAN_SEE_REVENUE = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})
