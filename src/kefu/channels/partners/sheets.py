"""Reading the partner's case list (Excel or CSV, Chinese or English headers) and writing the result workbook."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from kefu.core.errors import ValidationFailed
from kefu.core.spreadsheet import read_table, safe_row

MAX_ROWS = 5000
# Header words the partners use, mapped to our fields.
HEADERS = {
    "external_id": ("外部编号", "工单编号", "案件编号", "编号", "external_id", "case_id"),
    "title": ("标题", "主题", "诉求标题", "title"),
    "content": ("内容", "诉求内容", "问题描述", "content", "description"),
    "phone": ("联系电话", "电话", "phone"),
    "name": ("联系人", "姓名", "name"),
    "ack_due": ("签收时限", "ack_due"),
    "finish_due": ("办结时限", "finish_due"),
}


@dataclass
class CaseRow:
    """One case as the partner listed it; deadlines only when the partner gives its own."""

    external_id: str
    title: str
    content: str = ""
    phone: str = ""
    name: str = ""
    ack_due: datetime | None = None
    finish_due: datetime | None = None


def _rows(data: bytes, filename: str) -> list[list]:
    return read_table(data, filename, max_rows=MAX_ROWS + 1)


def _when(value, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value).strip().replace("/", "-"))
    if moment is None:
        raise ValidationFailed(_("Not a date and time."), code="invalid_datetime", field=field)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def read_cases(data: bytes, filename: str) -> list[CaseRow]:
    """The cases in a partner's file; a bad cell is refused naming its row and column."""
    rows = _rows(data, filename)
    if not rows:
        raise ValidationFailed(_("The file is empty."), code="required", field="file")
    header = [str(h or "").strip().lower() for h in rows[0]]
    columns = {key: next((header.index(w.lower()) for w in words if w.lower() in header), None)
               for key, words in HEADERS.items()}
    if columns["external_id"] is None or columns["title"] is None:
        raise ValidationFailed(_("The file needs a case number and a title column."), code="missing_column",
                               field="file")
    cases = []
    for n, row in enumerate(rows[1:], start=2):
        def cell(key, row=row):
            i = columns[key]
            return "" if i is None or i >= len(row) or row[i] is None else row[i]

        if not str(cell("external_id")).strip():
            continue
        cases.append(CaseRow(
            external_id=str(cell("external_id")).strip()[:100], title=str(cell("title")).strip()[:200],
            content=str(cell("content")).strip(), phone=str(cell("phone")).strip(), name=str(cell("name")).strip(),
            ack_due=_when(cell("ack_due"), f"rows[{n}].ack_due"),
            finish_due=_when(cell("finish_due"), f"rows[{n}].finish_due")))
    if len(cases) > MAX_ROWS:
        raise ValidationFailed(_("At most 5000 cases per file."), code="too_many", field="file")
    return cases


def result_workbook(cases) -> bytes:
    """The partner's result sheet: case number, result, finished at, ticket number (回复/办结)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "办结结果"
    sheet.append(["外部编号", "办理结果", "办结时间", "工单编号"])
    for case in cases:
        finished = timezone.localtime(case.finished_at).strftime("%Y-%m-%d %H:%M") if case.finished_at else ""
        sheet.append(safe_row([case.external_id, case.result, finished, f"GD{case.ticket_id:08d}"]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
