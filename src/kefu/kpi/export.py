"""The month's appraisal as an Excel workbook for payroll (openpyxl): one row per agent, the KPI breakdown,
the score and the bonus in yuan (exact, from whole fen)."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kefu.core.spreadsheet import safe_row
from kefu.kpi.definitions import MEASURES


def workbook(results) -> bytes:
    """An .xlsx of the results (already limited to what the user may see)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Appraisal")
    codes = []
    for result in results:
        for item in result.breakdown:
            if item["measure"] not in codes:
                codes.append(item["measure"])
    sheet.append([_("Agent number"), _("Name"), _("Team"), _("Rule"), _("Score"),
                  *[str(MEASURES[c].label) if c in MEASURES else c for c in codes], _("Bonus (yuan)")])
    for result in results:
        values = {i["measure"]: i["value"] for i in result.breakdown}
        agent = result.agent
        bonus = Decimal(result.bonus_fen) / 100 if result.bonus_fen is not None else None
        # Names and rule titles are typed by people: made safe so that none becomes a formula (kefu.core.spreadsheet).
        sheet.append(safe_row([agent.agent_no or "", agent.display_name or agent.username,
                               agent.team.name if agent.team else "", result.rule.name, float(result.score),
                               *[values.get(c) for c in codes], float(bonus) if bonus is not None else None]))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
