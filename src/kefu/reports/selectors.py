"""Reading the callback and satisfaction report: three grouped queries over the fact tables, then labels."""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from kefu.reports.models import CallbackAttempt, CallbackCase, CaseState, SurveyAnswer
from kefu.reports.services import local_midnight
from kefu.reports.validation import ReportFilters

# The column each grouping reads; every fact table has the same names.
GROUP_KEYS = {"agent": "agent_id", "team": "ticket__team_id", "type": "ticket__ticket_type_id", "month": "month"}
NO_GROUP = {"agent": _("No agent"), "team": _("No team"), "type": _("No type"), "month": "—"}


def clock() -> datetime:
    """The time reports are made at (which open cases are already due); tests set it, the screens ask here."""
    from django.utils import timezone

    return timezone.now()


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Figures:
    """The counts of one row; every rate is derived from them, so rows and totals add up."""

    cases: int = 0  # callback cases counted (reached, closed unreachable, or open past the first due time)
    completed: int = 0  # of those, the customer was reached
    pending: int = 0  # open and not yet due: not counted
    reached: int = 0  # callbacks that reached the customer
    on_time: int = 0
    accepted: int = 0
    csat_answers: int = 0
    csat_satisfied: int = 0  # 4 or 5
    csat_sum: int = 0
    nps_answers: int = 0
    promoters: int = 0  # 9–10
    detractors: int = 0  # 0–6

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completed, self.cases)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.reached)

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.accepted, self.reached)

    @property
    def csat_rate(self) -> float | None:
        return _rate(self.csat_satisfied, self.csat_answers)

    @property
    def csat_mean(self) -> float | None:
        return round(self.csat_sum / self.csat_answers, 2) if self.csat_answers else None

    @property
    def nps(self) -> float | None:
        if not self.nps_answers:
            return None
        return round((self.promoters - self.detractors) * 100 / self.nps_answers, 1)


@dataclass
class Row:
    key: int | str | None
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Report:
    """The rows of one grouping over one period, and their total."""

    group: str
    filters: ReportFilters
    rows: list[Row]
    total: Figures


def _scoped(model, user, filters: ReportFilters):
    qs = model.objects.visible_to(user)
    if filters.team_id:
        qs = qs.filter(ticket__team_id=filters.team_id)
    if filters.type_id:
        qs = qs.filter(ticket__ticket_type_id=filters.type_id)
    return qs


def _period(filters: ReportFilters) -> tuple[datetime, datetime]:
    return local_midnight(filters.start), local_midnight(filters.end + timedelta(days=1))


def _grouped(user, filters: ReportFilters, key: str, now: datetime) -> dict:
    """{group key: Figures} from one query per fact table (order_by() so that GROUP BY is only the key)."""
    start, end = _period(filters)
    cases = (_scoped(CallbackCase, user, filters).filter(first_due__gte=start, first_due__lt=end)
             .values(key).order_by().annotate(
                 cases=Count("id", filter=Q(state__in=[CaseState.REACHED, CaseState.CLOSED_UNREACHABLE])
                             | Q(state=CaseState.OPEN, first_due__lte=now)),
                 completed=Count("id", filter=Q(state=CaseState.REACHED)),
                 pending=Count("id", filter=Q(state=CaseState.OPEN, first_due__gt=now))))
    calls = (_scoped(CallbackAttempt, user, filters).filter(reached=True, outcome_at__gte=start, outcome_at__lt=end)
             .values(key).order_by().annotate(
                 reached=Count("id"), on_time=Count("id", filter=Q(on_time=True)),
                 accepted=Count("id", filter=Q(outcome="accepted"))))
    answers = (_scoped(SurveyAnswer, user, filters).filter(answered_at__gte=start, answered_at__lt=end)
               .values(key).order_by().annotate(
                   csat_answers=Count("csat"), csat_satisfied=Count("id", filter=Q(csat__gte=4)),
                   csat_sum=Sum("csat"), nps_answers=Count("nps"), promoters=Count("id", filter=Q(nps__gte=9)),
                   detractors=Count("id", filter=Q(nps__lte=6))))
    out: dict = {}
    for qs in (cases, calls, answers):
        for values in qs:
            figures = out.setdefault(values.pop(key), Figures())
            for name, value in values.items():
                setattr(figures, name, getattr(figures, name) + (value or 0))
    return out


def _labels(group: str, keys) -> dict:
    ids = [k for k in keys if k is not None]
    if group == "month":
        return {k: k.strftime("%Y-%m") for k in ids}
    if not ids:
        return {}
    if group == "agent":
        from kefu.accounts.models import User

        return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    if group == "team":
        from kefu.accounts.models import Team

        return {pk: name for pk, name in Team.objects.filter(pk__in=ids).values_list("pk", "name")}
    from kefu.tickets.models import TicketType

    return {t.pk: t.label for t in TicketType.objects.filter(pk__in=ids)}


def _label(group: str, key, labels: dict) -> str:
    if key is None:
        return str(NO_GROUP[group])
    return labels.get(key) or f"#{key}"  # an id from an event that names no existing user


def callback_report(user, filters: ReportFilters, *, group: str, now: datetime) -> Report:
    """The report as `user` may read it; `now` decides which open cases are already due (and so counted)."""
    grouped = _grouped(user, filters, GROUP_KEYS[group], now)
    labels = _labels(group, grouped)
    rows = [Row(key=k, label=_label(group, k, labels), figures=f) for k, f in grouped.items()]
    if group == "month":
        rows.sort(key=lambda r: (r.key is None, r.key or date.min))
    else:
        rows.sort(key=lambda r: (r.key is None, r.label, str(r.key)))
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return Report(group=group, filters=filters, rows=rows, total=total)


def row_out(row: Row) -> dict:
    """A row for the API and the CSV: the counts and the rates derived from them."""
    f = row.figures
    return {
        "key": row.key.isoformat()[:7] if isinstance(row.key, date) else row.key, "label": row.label,
        "completion": {"numerator": f.completed, "denominator": f.cases, "rate": f.completion_rate,
                       "pending": f.pending},
        "on_time": {"numerator": f.on_time, "denominator": f.reached, "rate": f.on_time_rate},
        "acceptance": {"numerator": f.accepted, "denominator": f.reached, "rate": f.acceptance_rate},
        "csat": {"numerator": f.csat_satisfied, "denominator": f.csat_answers, "rate": f.csat_rate,
                 "mean": f.csat_mean},
        "nps": {"promoters": f.promoters, "detractors": f.detractors, "answers": f.nps_answers, "score": f.nps},
    }
