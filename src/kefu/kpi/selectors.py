"""Reading KPIs: a table of every measure for the groups the user may see, with labels."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.kpi.definitions import AGENT, CENTER, MEASURES, TEAM, Ratio
from kefu.kpi.periods import Period
from kefu.reports.access import CENTER as SEE_ALL
from kefu.reports.access import OWN, report_scope
from kefu.reports.access import TEAM as SEE_TEAM


@dataclass
class Row:
    key: int | None
    label: str
    figures: dict  # code -> Ratio


def allowed_groups(user) -> list[str]:
    scope = report_scope(user)
    if scope == SEE_ALL:
        return [AGENT, TEAM, CENTER]
    if scope == SEE_TEAM:
        return [AGENT, TEAM]
    return [AGENT] if scope == OWN else []


def _visible_keys(user, group: str) -> set | None:
    """None: every key; else the keys the user may see in this grouping."""
    scope = report_scope(user)
    if scope == SEE_ALL:
        return None
    if scope == SEE_TEAM and user.team_id:
        if group == TEAM:
            return {user.team_id}
        return set(User.objects.filter(team_id=user.team_id).values_list("pk", flat=True)) | {user.pk}
    return {user.pk} if group == AGENT else set()


def kpi_table(user, period: Period, group: str, codes: list[str] | None = None) -> list[Row]:
    """One row per agent / team / the center the user may see, with every measure's Ratio."""
    if group not in allowed_groups(user):
        return []
    keys = _visible_keys(user, group)
    figures: dict = {}
    for code in codes or list(MEASURES):
        for key, ratio in MEASURES[code].compute(period, group).items():
            if keys is None or key in keys:
                figures.setdefault(key, {})[code] = ratio
    if group == AGENT and keys is not None:
        for key in keys:
            figures.setdefault(key, {})
    labels = _labels(group, figures)
    rows = [Row(key, labels.get(key, "—"), {c: figures[key].get(c, Ratio()) for c in codes or MEASURES})
            for key in figures]
    return sorted(rows, key=lambda r: r.label)


def _labels(group: str, figures: dict) -> dict:
    if group == CENTER:
        return {None: str(_("Whole center"))}
    if group == TEAM:
        return {t.pk: t.name for t in Team.objects.filter(pk__in=[k for k in figures if k])}
    users = User.objects.filter(pk__in=[k for k in figures if k]).only("username", "display_name", "agent_no")
    return {u.pk: f"{u.display_name or u.username}" + (f" ({u.agent_no})" if u.agent_no else "") for u in users}
