"""Arrears (催缴, 000 抄表管理制度 §9): balances, reminders by age band, promises, suspension notices."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.utility.models import ArrearsAction, ArrearsBalance, PaymentPromise, ServiceAccount, SuspensionNotice
from kefu.utility.services.common import load, positive_fen, require_office, require_supervisor

BANDS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))
NOTICE_DAYS = 7  # the default notice period before supply stops; the notice form can set another


def band_of(due_since: date | None, today: date) -> str:
    """The age band of an overdue balance."""
    days = (today - due_since).days if due_since else 0
    return next(code for code, low, high in BANDS if days >= low and (high is None or days <= high))


def _action(account_id: int, kind: str, *, actor, at, band: str = "", params: dict | None = None) -> None:
    ArrearsAction.objects.create(account_id=account_id, kind=kind, band=band, params=params or {}, actor=actor,
                                 at=at)


@transaction.atomic
def set_balance(*, actor: User | None, account_id: int, amount_fen: int, due_since: date | None,
                now: datetime | None = None) -> ArrearsBalance:
    """Record what an account owes (from billing or at the desk); zero clears it and its pending notices."""
    require_office(actor)
    account = load(ServiceAccount, actor, account_id, field="account_id")
    if not isinstance(amount_fen, int) or amount_fen < 0:
        raise ValidationFailed(_("Enter an amount of zero or more, in fen."), code="invalid_amount",
                               field="amount_fen")
    at = now or timezone.now()
    balance, _created = ArrearsBalance.objects.update_or_create(
        account=account, defaults={"amount_fen": amount_fen, "due_since": due_since if amount_fen else None,
                                   "updated_at": at})
    if amount_fen == 0:
        _settled(account, actor=actor, at=at)
    return balance


def _settled(account: ServiceAccount, *, actor, at: datetime) -> None:
    """Paid up: pending notices are cancelled and promises count as kept."""
    SuspensionNotice.objects.filter(account=account, status=SuspensionNotice.Status.PENDING).update(
        status=SuspensionNotice.Status.CANCELLED)
    PaymentPromise.objects.filter(account=account, status=PaymentPromise.Status.PENDING).update(
        status=PaymentPromise.Status.KEPT)


def pay_arrears(account: ServiceAccount, amount_fen: int, *, actor, at: datetime) -> int:
    """Take a payment off the balance (inside the desk's transaction); answers what is still owed."""
    balance = ArrearsBalance.objects.select_for_update().filter(account=account).first()
    if balance is None or balance.amount_fen <= 0:
        return 0
    left = max(balance.amount_fen - amount_fen, 0)
    ArrearsBalance.objects.filter(pk=balance.pk).update(amount_fen=left, due_since=balance.due_since if left else None,
                                                        updated_at=at)
    _action(account.pk, ArrearsAction.Kind.PAID, actor=actor, at=at, params={"left_fen": left})
    if left == 0:
        _settled(account, actor=actor, at=at)
    return left


def _primary_mobile(customer) -> str:
    from kefu.customers.models import ContactPoint

    contacts = [c for c in customer.contacts.all() if c.kind == ContactPoint.Kind.MOBILE]
    contacts.sort(key=lambda c: not c.is_primary)
    return contacts[0].value if contacts else ""


def overdue_in_band(band: str, today: date):
    """Balances above zero whose age falls in `band`."""
    code, low, high = next(b for b in BANDS if b[0] == band)
    qs = ArrearsBalance.objects.filter(amount_fen__gt=0, due_since__lte=today - timedelta(days=low))
    if high is not None:
        qs = qs.filter(due_since__gte=today - timedelta(days=high))
    return qs.select_related("account__customer").prefetch_related("account__customer__contacts")


@dataclass
class ReminderRun:
    band: str
    channel: str
    sent: int = 0
    without_mobile: int = 0
    campaign_id: int | None = None


def _sms(balances, band: str, actor, at: datetime, run: ReminderRun) -> None:
    from kefu.notify.services import queue_notification

    for balance in balances:
        mobile = _primary_mobile(balance.account.customer)
        if not mobile:
            run.without_mobile += 1
            continue
        yuan = f"{balance.amount_fen // 100}.{balance.amount_fen % 100:02d}"
        body = f"您的户号 {balance.account.number} 燃气费欠费 {yuan} 元，请尽快缴纳，以免影响用气。"
        note = queue_notification(channel="sms", address=mobile, kind="arrears_reminder", subject="燃气费催缴",
                                  body=body,
                                  params={"account_id": balance.account_id, "band": band}, now=at)
        _action(balance.account_id, ArrearsAction.Kind.SMS, actor=actor, at=at, band=band,
                params={"notification_id": note.pk})
        run.sent += 1


def _calls(balances, band: str, actor, at: datetime, run: ReminderRun) -> None:
    from kefu.campaigns.calllist import CallInput, import_calls
    from kefu.campaigns.services import CampaignInput, create_campaign

    rows, accounts = [], []
    for balance in balances:
        mobile = _primary_mobile(balance.account.customer)
        if not mobile:
            run.without_mobile += 1
            continue
        rows.append(CallInput(name=balance.account.customer.name, phone=mobile, reference=balance.account.number,
                              note=f"欠费 {balance.amount_fen / 100:.2f} 元，账龄 {band} 天"))
        accounts.append(balance.account_id)
    if not rows:
        return
    campaign = create_campaign(actor=actor, data=CampaignInput(
        name=f"燃气费催缴 {band} 天 {timezone.localdate(at):%Y-%m-%d}", purpose="other"), now=at)
    import_calls(actor=actor, campaign_id=campaign.pk, rows=rows, now=at)
    for account_id in accounts:
        _action(account_id, ArrearsAction.Kind.CALL, actor=actor, at=at, band=band,
                params={"campaign_id": campaign.pk})
    run.sent, run.campaign_id = len(rows), campaign.pk


@transaction.atomic
def send_reminders(*, actor: User | None, band: str, channel: str, now: datetime | None = None) -> ReminderRun:
    """Remind every account of an age band by SMS (notify) or by calls (a campaign of the calls module)."""
    require_supervisor(actor)
    if band not in [b[0] for b in BANDS]:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="band")
    if channel not in ("sms", "call"):
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="channel")
    at = now or timezone.now()
    run = ReminderRun(band, channel)
    balances = list(overdue_in_band(band, timezone.localdate(at)))
    (_sms if channel == "sms" else _calls)(balances, band, actor, at, run)
    return run


@transaction.atomic
def record_promise(*, actor: User | None, account_id: int, amount_fen: int, due_on: date,
                   now: datetime | None = None) -> PaymentPromise:
    """A customer promises to pay by a date; followed up by follow_up_promises once it passes."""
    require_office(actor)
    account = load(ServiceAccount, actor, account_id, field="account_id")
    positive_fen(amount_fen, field="amount_fen")
    at = now or timezone.now()
    if due_on < timezone.localdate(at):
        raise ValidationFailed(_("The date is in the past."), code="date_in_past", field="due_on")
    promise = PaymentPromise.objects.create(account=account, amount_fen=amount_fen, due_on=due_on,
                                            recorded_by=actor, recorded_at=at)
    _action(account.pk, ArrearsAction.Kind.PROMISE, actor=actor, at=at,
            params={"promise_id": promise.pk, "due_on": due_on.isoformat(), "amount_fen": amount_fen})
    return promise


@transaction.atomic
def follow_up_promises(*, now: datetime | None = None) -> dict:
    """Promises past their date: kept if the balance is paid, else broken (and the account back in reminders)."""
    at = now or timezone.now()
    counts = {"kept": 0, "broken": 0}
    due = PaymentPromise.objects.filter(status=PaymentPromise.Status.PENDING, due_on__lt=timezone.localdate(at))
    for promise in due.select_related("account__arrears"):
        owed = getattr(getattr(promise.account, "arrears", None), "amount_fen", 0)
        kept = owed == 0
        # Claimed with a conditional update: a second sweep running at the same time skips it.
        if PaymentPromise.objects.filter(pk=promise.pk, status=PaymentPromise.Status.PENDING).update(
                status=PaymentPromise.Status.KEPT if kept else PaymentPromise.Status.BROKEN):
            counts["kept" if kept else "broken"] += 1
            if not kept:
                _action(promise.account_id, ArrearsAction.Kind.PROMISE_BROKEN, actor=None, at=at,
                        params={"promise_id": promise.pk})
    return counts


@transaction.atomic
def issue_notice(*, actor: User | None, account_id: int, notice_days: int = NOTICE_DAYS,
                 now: datetime | None = None) -> SuspensionNotice:
    """A written suspension notice: only after a reminder, with a notice period before supply may stop."""
    require_supervisor(actor)
    account = load(ServiceAccount, actor, account_id, field="account_id")
    owed = ArrearsBalance.objects.filter(account=account).values_list("amount_fen", flat=True).first() or 0
    if owed <= 0:
        raise ValidationFailed(_("The account owes nothing."), code="nothing_owed", field="account_id")
    if not ArrearsAction.objects.filter(account=account, kind__in=["sms", "call"]).exists():
        raise ValidationFailed(_("Remind the customer before giving notice."), code="no_reminder_yet",
                               field="account_id")
    if not isinstance(notice_days, int) or not 1 <= notice_days <= 60:
        raise ValidationFailed(_("Enter a whole number of days from 1 to 60."), code="invalid_days",
                               field="notice_days")
    if SuspensionNotice.objects.filter(account=account, status=SuspensionNotice.Status.PENDING).exists():
        raise Conflict(_("A notice is already running for this account."), code="notice_pending",
                       field="account_id")
    at = now or timezone.now()
    notice = SuspensionNotice.objects.create(account=account, amount_fen=owed, issued_at=at, notice_days=notice_days,
                                             effective_on=timezone.localdate(at) + timedelta(days=notice_days),
                                             issued_by=actor)
    _action(account.pk, ArrearsAction.Kind.NOTICE, actor=actor, at=at,
            params={"notice_id": notice.pk, "effective_on": notice.effective_on.isoformat()})
    return notice


@transaction.atomic
def execute_suspension(*, actor: User | None, notice_id: int, now: datetime | None = None) -> SuspensionNotice:
    """Stop supply under a notice whose period has run out and whose balance is still unpaid."""
    require_supervisor(actor)
    notice = SuspensionNotice.objects.select_related("account").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("Not found."), code="not_found", field="notice_id")
    at = now or timezone.now()
    if notice.status != SuspensionNotice.Status.PENDING:
        raise Conflict(_("This notice is no longer running."), code="notice_closed", field="notice_id")
    if timezone.localdate(at) < notice.effective_on:
        raise ValidationFailed(_("The notice period has not run out."), code="notice_period_running",
                               field="notice_id", params={"effective_on": notice.effective_on.isoformat()})
    SuspensionNotice.objects.filter(pk=notice.pk).update(status=SuspensionNotice.Status.EXECUTED)
    ServiceAccount.objects.filter(pk=notice.account_id).update(status=ServiceAccount.Status.SUSPENDED)
    _action(notice.account_id, ArrearsAction.Kind.SUSPENDED, actor=actor, at=at, params={"notice_id": notice.pk})
    notice.refresh_from_db()
    return notice
