"""`kefu quality sample --month 2026-11 [--seed S]`: check the month's contacts and pick the samples;
`kefu quality check --since DATE --until DATE`: re-run the automatic checks only."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.quality import services
from kefu.quality.services.common import clean_month, local_midnight, local_month


class Command(BaseCommand):
    help = "Quality inspection: `kefu quality sample --month 2026-11`, `kefu quality check --since 2026-11-01`."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the operator)")
        sub = parser.add_subparsers(dest="action", required=True)
        sample = sub.add_parser("sample", help="check the month's contacts and sample them by the plans")
        sample.add_argument("--month", help="YYYY-MM; default this month")
        sample.add_argument("--seed", default="", help="seed of the random pick (same seed, same sample)")
        check = sub.add_parser("check", help="re-run the automatic checks on contacts that started in a period")
        check.add_argument("--since", required=True, help="local date YYYY-MM-DD")
        check.add_argument("--until", help="local date YYYY-MM-DD, exclusive; default tomorrow")

    def handle(self, *args, action, **options):
        from django.utils import timezone

        actor = acting_user(options.get("as_user"))
        try:
            if action == "sample":
                month = clean_month(options["month"]) if options["month"] else local_month(timezone.now())
                self.stdout.write(dump(services.sample_month(actor=actor, month=month, seed=options["seed"])))
                return
            try:
                since = date.fromisoformat(options["since"])
                until = date.fromisoformat(options["until"]) if options["until"] else None
            except ValueError:
                raise CommandError("invalid [since/until]: Enter a date as YYYY-MM-DD.") from None
            until = until or timezone.localdate().fromordinal(timezone.localdate().toordinal() + 1)
            count = services.harvest_contacts(
                actor=actor, start=local_midnight(since), end=local_midnight(until),
                progress=lambda n: self.stderr.write(f"\rcontacts {n}   ", ending=""))
            self.stderr.write("")
            self.stdout.write(dump({"contacts": count}))
        except ServiceError as exc:
            raise fail(exc) from None
