"""Every state change of the utility pack; the API, the pages, the CLI and the demo call these."""

from kefu.utility.services.abnormal import raise_abnormal, raise_findings, record_outcome
from kefu.utility.services.arrears import (
    execute_suspension,
    follow_up_promises,
    issue_notice,
    record_promise,
    send_reminders,
    set_balance,
)
from kefu.utility.services.arrears_import import ArrearsImportResult, import_arrears, read_arrears_file
from kefu.utility.services.desk import (
    approve_difference,
    close_shift,
    open_shift,
    quote_bill,
    set_tariff,
    take_payment,
    top_up_ic_card,
)
from kefu.utility.services.imports import ReadingRow, import_readings
from kefu.utility.services.meters import (
    MeterInput,
    create_account,
    create_route,
    install_meter,
    replace_meter,
    set_route_order,
)
from kefu.utility.services.readings import estimate_reading, record_reading

__all__ = [
    "ArrearsImportResult", "MeterInput", "ReadingRow", "approve_difference", "close_shift", "create_account",
    "create_route", "estimate_reading", "execute_suspension", "follow_up_promises", "import_arrears",
    "import_readings", "install_meter", "issue_notice", "open_shift", "quote_bill", "raise_abnormal",
    "raise_findings", "read_arrears_file", "record_outcome", "record_promise", "record_reading", "replace_meter",
    "send_reminders", "set_balance", "set_route_order", "set_tariff", "take_payment", "top_up_ic_card",
]
