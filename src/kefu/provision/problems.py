"""What in the center's setup cannot work as written: escalation steps that reach nobody, calendars without
holiday data, tickets that no SLA policy covers. Shown on the setup page and by the API, so an
administrator finds them before a breached complaint is escalated to nobody."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import Department, Team, User
from kefu.accounts.roles import Role
from kefu.provision.sections import team_key
from kefu.sla.models import BusinessCalendar, EscalationRung, SlaPolicy


def setup_problems(*, today=None) -> list[dict]:
    """Each problem: a stable code, the object it is about, and a sentence in the reader's language."""
    today = today or timezone.localdate()
    out = []
    out += _rung_problems()
    out += _team_problems()
    for calendar in BusinessCalendar.objects.filter(always_open=False).prefetch_related("overrides"):
        for year in calendar.holiday_gaps(today):
            out.append({"code": "calendar_year_unknown", "object": f"calendars/{calendar.name}",
                        "message": _("Calendar %(name)s has no holiday data for %(year)d: deadlines that year "
                                     "follow the weekly hours only. Enter that year's dates as overrides.")
                        % {"name": calendar.name, "year": year}})
    if not SlaPolicy.objects.filter(active=True, ticket_type=None, priority=None, channel="", tier="").exists():
        out.append({"code": "no_catch_all_policy", "object": "sla_policies",
                    "message": _("No active SLA policy applies to every ticket: a ticket that matches no "
                                 "policy gets no time limit.")})
    return out


def _rung_problems() -> list[dict]:
    out = []
    active_roles = set(User.objects.filter(is_active=True).values_list("role", flat=True).distinct())
    rungs = EscalationRung.objects.select_related("policy", "team__department").filter(policy__active=True)
    for rung in rungs.order_by("policy__position", "policy__name", "position"):
        where = f"sla_policies/{rung.policy.name}/rungs[{rung.position}]"
        if rung.action == EscalationRung.Action.REASSIGN and rung.team_id is None:
            out.append({"code": "rung_without_team", "object": where,
                        "message": _("Step %(step)d of %(policy)s reassigns to no team: it is skipped.")
                        % {"step": rung.position + 1, "policy": rung.policy.name}})
        elif rung.action == EscalationRung.Action.REASSIGN and not rung.team.members.filter(
                is_active=True, role__in=[Role.COMPLAINT_HANDLER, Role.TEAM_LEAD]).exists():
            out.append({"code": "rung_team_unstaffed", "object": where,
                        "message": _("Step %(step)d of %(policy)s reassigns to %(team)s, which has no active "
                                     "complaint handler or team lead to tell.")
                        % {"step": rung.position + 1, "policy": rung.policy.name, "team": team_key(rung.team)}})
        elif rung.action == EscalationRung.Action.NOTIFY_ROLE and rung.role not in active_roles:
            out.append({"code": "rung_role_empty", "object": where,
                        "message": _("Step %(step)d of %(policy)s tells the role %(role)s, which no active "
                                     "user has.")
                        % {"step": rung.position + 1, "policy": rung.policy.name,
                           "role": Role(rung.role).label if rung.role in Role.values else rung.role}})
    return out


def _team_problems() -> list[dict]:
    """Service teams whose tickets a 'tell the team lead' step cannot reach (other departments' teams take
    dispatched work; their tickets stay with the service team that owns them)."""
    if not EscalationRung.objects.filter(policy__active=True, action=EscalationRung.Action.NOTIFY_TEAM_LEAD).exists():
        return []
    teams = (Team.objects.filter(is_field_crew=False, department__kind=Department.Kind.SERVICE)
             .select_related("department")
             .annotate(leads=Count("members", filter=Q(members__role=Role.TEAM_LEAD, members__is_active=True)))
             .filter(leads=0).order_by("department__name", "name"))
    return [{"code": "team_without_lead", "object": f"teams/{team_key(team)}",
             "message": _("Team %(team)s has no active team lead: escalation steps that tell the team lead "
                          "reach nobody for its tickets.") % {"team": team_key(team)}} for team in teams]
