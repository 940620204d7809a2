"""Who reads the callback and satisfaction reports, and how much of them (RP1, SE1).

Management and QA read the whole center; a team lead (班长) reads the callbacks and surveys of their own team's
tickets; the people on the phones read only their own figures — the seeds make performance assessment
(绩效考核) a manager's job, but the daily briefing tells every agent their own defects and deductions, so an
agent sees the figures they are assessed by and nobody else's. Field crews and account managers make no
callbacks and see no report.
"""

from kefu.accounts.roles import Role

CENTER = "center"
TEAM = "team"
OWN = "own"

REPORT_SCOPE: dict[str, str] = {
    Role.QA_INSPECTOR: CENTER,
    Role.SUPERVISOR: CENTER,
    Role.MANAGER: CENTER,
    Role.DIRECTOR: CENTER,
    Role.ADMIN: CENTER,
    Role.TEAM_LEAD: TEAM,
    Role.AGENT: OWN,
    Role.COMPLAINT_HANDLER: OWN,
    Role.INFO_DESK: OWN,
}


def report_scope(user) -> str | None:
    """CENTER, TEAM, OWN, or None when the user may not read the reports at all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return CENTER
    return REPORT_SCOPE.get(user.role)


def can_view_reports(user) -> bool:
    return report_scope(user) is not None


def can_export_reports(user) -> bool:
    """Exports are for those who read more than their own row (an agent's page already shows all of it)."""
    return report_scope(user) in (CENTER, TEAM)


def require_reader(user) -> str:
    """The user's scope, or Forbidden for a role that reads no report."""
    from django.utils.translation import gettext_lazy as _

    from kefu.core.errors import Forbidden

    scope = report_scope(user)
    if scope is None:
        raise Forbidden(_("Your role does not read the callback reports."), code="cannot_read_reports")
    return scope
