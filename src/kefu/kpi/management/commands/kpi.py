"""`kefu kpi figures --month 2026-11 [--group agent|team|center]`: every KPI with numerator and denominator;
`kefu kpi appraise --month 2026-11`: compute the month's appraisal and bonus split;
`kefu kpi stars --month 2026-11`: publish the star board."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.kpi import appraisal, stars
from kefu.kpi.definitions import GROUPS, MEASURES
from kefu.kpi.periods import Period


class Command(BaseCommand):
    help = "KPIs: `kefu kpi figures --month 2026-11`, `kefu kpi appraise --month 2026-11`, `kefu kpi stars …`."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the operator)")
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("figures", "appraise", "stars"):
            cmd = sub.add_parser(name)
            cmd.add_argument("--month", required=True, help="YYYY-MM")
            if name == "figures":
                cmd.add_argument("--group", default="team", choices=GROUPS)

    def handle(self, *args, action, **options):
        try:
            month = date.fromisoformat(f"{options['month'][:7]}-01")
        except ValueError:
            raise CommandError("invalid [month]: Enter a month as YYYY-MM.") from None
        actor = acting_user(options.get("as_user"))
        try:
            if action == "figures":
                period = Period.month(month)
                out = {code: {str(k): {"numerator": r.numerator, "denominator": r.denominator, "value": r.value}
                              for k, r in m.compute(period, options["group"]).items()} for code, m in MEASURES.items()}
            elif action == "appraise":
                out = [{"agent": r.agent_id, "score": r.score, "bonus_fen": r.bonus_fen}
                       for r in appraisal.compute_appraisal(actor=actor, month=month)]
            else:
                out = stars.publish_stars(actor=actor, month=month).entries
        except ServiceError as exc:
            raise fail(exc) from None
        self.stdout.write(dump(out))
