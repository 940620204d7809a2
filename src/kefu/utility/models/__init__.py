"""The utility pack's tables (IN4, IN5): accounts and meters, reading, abnormal meters, arrears, the desk."""

from kefu.utility.models.arrears import ArrearsAction, ArrearsBalance, ArrearsBill, PaymentPromise, SuspensionNotice
from kefu.utility.models.desk import Payment, PaymentMethod, Shift, ShiftStatus, Tariff
from kefu.utility.models.meters import (
    AbnormalCase,
    AbnormalKind,
    CustomerClass,
    Meter,
    MeterEvent,
    MeterEventCode,
    MeterKind,
    MeterLifespan,
    ReadClass,
    ServiceAccount,
)
from kefu.utility.models.reading import Reading, ReadingFlag, ReadingSource, ReadTarget, Route

__all__ = [
    "AbnormalCase", "AbnormalKind", "ArrearsAction", "ArrearsBalance", "ArrearsBill", "CustomerClass", "Meter",
    "MeterEvent", "MeterEventCode", "MeterKind", "MeterLifespan", "Payment", "PaymentMethod", "PaymentPromise",
    "ReadClass", "ReadTarget", "Reading", "ReadingFlag", "ReadingSource", "Route", "ServiceAccount", "Shift",
    "ShiftStatus", "SuspensionNotice", "Tariff",
]
