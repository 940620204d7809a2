"""`kefu utility …`: import readings, find abnormal meters, read rates, reminders and promise follow-up."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.utility import selectors, services
from kefu.utility.detection import detect
from kefu.utility.services.imports import rows_from_csv


def _month(text: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError(f"not a month (2026-11): {text!r}") from exc


class Command(BaseCommand):
    help = "Utility pack: import readings or arrears, detect abnormal meters, read rates, arrears reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import readings from a CSV file (表号, 读数, 抄表时间, 照片)")
        imp.add_argument("file")
        imp.add_argument("--source", default="import", choices=["import", "remote"])
        det = sub.add_parser("detect", help="Find abnormal meters at the end of a month; --raise opens tickets")
        det.add_argument("month")
        det.add_argument("--raise", dest="raise_tickets", action="store_true")
        det.add_argument("--limit", type=int, default=None)
        rates = sub.add_parser("read-rates", help="Read rates of a month per route, reader or class, as JSON")
        rates.add_argument("month")
        rates.add_argument("--by", default="route", choices=["route", "reader", "class"])
        remind = sub.add_parser("remind", help="Send arrears reminders to an age band")
        remind.add_argument("band", choices=["0-30", "31-60", "61-90", "90+"])
        remind.add_argument("--channel", default="sms", choices=["sms", "call"])
        sub.add_parser("promises", help="Follow up promises to pay whose date has passed")
        arr = sub.add_parser("import-arrears", help="Import the billing system's arrears file (.csv in UTF-8 or "
                                                    "GBK, or .xlsx: 户号, 账期, 欠费金额, 缴费截止日)")
        arr.add_argument("file")
        for cmd in (imp, det, rates, remind, arr):
            cmd.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        actor = acting_user(options.get("as_user"))
        try:
            self.stdout.write(dump(getattr(self, "_" + action.replace("-", "_"))(actor, options)))
        except ServiceError as exc:
            raise fail(exc) from exc

    def _import(self, actor, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        rows = rows_from_csv(path)
        result = services.import_readings(actor=actor, rows=rows, source=options["source"],
                                          progress=lambda done: self.stderr.write(f"{done}/{len(rows)}"))
        return result.__dict__

    def _import_arrears(self, actor, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        rows = services.read_arrears_file(path.name, path.read_bytes())
        return services.import_arrears(actor=actor, rows=rows, file_name=path.name).as_dict()

    def _detect(self, actor, options):
        findings = detect(_month(options["month"]))
        out = {"findings": len(findings), "by_kind": {}}
        for f in findings:
            out["by_kind"][f.kind] = out["by_kind"].get(f.kind, 0) + 1
        if options["raise_tickets"]:
            out.update(services.raise_findings(actor=actor, findings=findings, limit=options["limit"]))
        return out

    def _read_rates(self, actor, options):
        return [{**r, "label": str(r["label"])} for r in selectors.read_rates(_month(options["month"]),
                                                                             by=options["by"])]

    def _remind(self, actor, options):
        return services.send_reminders(actor=actor, band=options["band"], channel=options["channel"]).__dict__

    def _promises(self, actor, options):
        return services.follow_up_promises()
