"""The demo gas utility's pack data: accounts and meters of the gas customers, reading routes, 14 months of
readings with this month's realistic read rate, abnormal meters raised as tickets, arrears in every age band,
and yesterday's billing-desk shift waiting for its difference to be approved."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kefu.customers.models import Customer
from kefu.utility import services
from kefu.utility.detection import detect
from kefu.utility.models import Meter, ReadClass

SEASON = [1.9, 1.7, 1.3, 0.9, 0.6, 0.45, 0.4, 0.4, 0.5, 0.8, 1.3, 1.7]
KINDS = ["diaphragm"] * 6 + ["ic_card"] * 2 + ["remote"] * 2
MAKERS = ["金卡智能", "新天科技", "先锋电子", "荣成", "苍南仪表"]
RESIDENTIAL = [[310, 300], [520, 360], [None, 450]]  # 苏州-style 阶梯: 3.00 / 3.60 / 4.50 元
COMMERCIAL = [[None, 385]]


def _month(start: date, offset: int) -> date:
    index = start.year * 12 + start.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _accounts(rng: random.Random, gas: list, now: datetime) -> list[tuple]:
    """An account and its meters for every gas customer (their archive's account and meter numbers)."""
    made = []
    orgs = set(Customer.objects.filter(pk__in=[c.pk for c in gas], kind=Customer.Kind.ORGANISATION)
               .values_list("pk", flat=True))
    for customer in gas:
        numbers, meters = customer.refs.get("account", []), customer.refs.get("meter", [])
        if not numbers or not meters:
            continue
        commercial = customer.pk in orgs
        account = services.create_account(actor=None, number=numbers[0], customer_id=customer.pk,
                                          customer_class="commercial" if commercial else "residential",
                                          address=customer.address.get("addr", ""), now=now)
        for number in meters[: 3 if commercial else 1]:
            installed = date(rng.randint(2011, 2024), rng.randint(1, 12), 1)
            meter = services.install_meter(actor=None, account_id=account.pk, now=now, data=services.MeterInput(
                number=number, kind="industrial" if commercial else rng.choice(KINDS),
                size="G10" if commercial else rng.choice(["G1.6", "G2.5", "G4"]), manufacturer=rng.choice(MAKERS),
                installed_on=installed, location="indoor" if not commercial and rng.random() < 0.2 else "outdoor",
                direction=rng.choice(["left", "right"]), seals=[f"QF{rng.randint(100000, 999999)}"]))
            made.append((meter, commercial))
    return made


def _routes(center, meters: list, now: datetime) -> None:
    readers = [u for members in center.crew_members.values() for u in members][:3] or [center.admin]
    plan = [("CX01", "城西一册", ReadClass.RESIDENTIAL, 5, 20), ("CD02", "城东二册", ReadClass.RESIDENTIAL, 5, 20),
            ("SY01", "商业一册", ReadClass.COMMERCIAL, 22, 23), ("HN01", "户内表册", ReadClass.INDOOR, 5, 25)]
    routes = {read_class: [] for _c, _n, read_class, _f, _l in plan}
    for index, (code, name, read_class, first, last) in enumerate(plan):
        routes[read_class].append(services.create_route(actor=None, code=code, name=name, read_class=read_class,
                                                        reader_id=readers[index % len(readers)].pk,
                                                        first_day=first, last_day=last))
    members: dict[int, list[int]] = {}
    for index, (meter, _commercial) in enumerate(meters):
        options = routes[meter.read_class]
        members.setdefault(options[index % len(options)].pk, []).append(meter.pk)
    for route_id, ids in members.items():
        services.set_route_order(actor=None, route_id=route_id, meter_ids=ids, now=now)


def _history(rng: random.Random, meters: list, now: datetime, plant_on: set[int]) -> dict:
    """14 months imported from the old system; this month read in the field at a realistic rate. Meters of the
    customers in `plant_on` (who called about their meter) stop or run fast in the last quarter."""
    this_month = timezone.localdate(now).replace(day=1)
    start = _month(this_month, -14)
    rows, field = [], []
    planted = {"stopped": 2, "fast": 1}
    for meter, commercial in meters:
        base = rng.randint(60, 200) if commercial else rng.randint(10, 35)
        value, series = 0, []
        for m in range(15):
            month = _month(start, m)
            series.append(max(0, round(base * SEASON[month.month - 1] * rng.uniform(0.85, 1.15))))
        kind = ""
        if meter.account.customer_id in plant_on and meter.read_class != ReadClass.INDOOR:
            kind = "stopped" if planted["stopped"] else "fast" if planted["fast"] else ""
        if kind:
            planted[kind] -= 1
            series[-4:-1] = [0, 0, 0] if kind == "stopped" else [c * 4 + 30 for c in series[-4:-1]]
        for m in range(14):
            month = _month(start, m)
            if meter.read_class == ReadClass.INDOOR and month.month not in (3, 6, 9, 12):
                continue
            value += series[m]
            rows.append(services.ReadingRow(meter.number, value, _at(month + timedelta(days=rng.randint(4, 19)))))
        field.append((meter, value + series[14]))
    services.import_readings(actor=None, rows=rows, now=now)
    return {"imported": len(rows), "field": field}


def _meter_tickets() -> dict[int, int]:
    """customer id → the latest repair or audit ticket of a gas customer (the demo's calls about meters)."""
    from kefu.tickets.models import Ticket

    found = {}
    for customer_id, ticket_id in (Ticket.objects.filter(ticket_type__code__in=["repair", "audit"],
                                                         customer__utility_accounts__isnull=False)
                                   .order_by("created_at", "id").values_list("customer_id", "id")):
        found[customer_id] = ticket_id
    return found


def _this_month(rng: random.Random, field: list, now: datetime) -> int:
    """Field readings of the current month: commercial all read, residential about 98%, a few estimated."""
    today = timezone.localdate(now)
    done = 0
    for meter, value in field:
        if meter.read_class == ReadClass.INDOOR and today.month not in (3, 6, 9, 12):
            continue
        if meter.read_class != ReadClass.COMMERCIAL and rng.random() < 0.025:
            if rng.random() < 0.5:
                services.estimate_reading(actor=None, meter_id=meter.pk, period=today, now=now)
            continue
        reader = Meter.objects.filter(pk=meter.pk).values_list("route__reader", flat=True).first()
        from kefu.accounts.models import User

        services.record_reading(actor=User.objects.filter(pk=reader).first(), meter_id=meter.pk, value=value,
                                read_at=now - timedelta(hours=rng.randint(1, 48)), confirm=True,
                                idempotency_key=f"demo-{meter.pk}-{today:%Y%m}", now=now)
        done += 1
    return done


def _arrears(rng: random.Random, meters: list, center, now: datetime) -> int:
    today = timezone.localdate(now)
    accounts = sorted({m.account_id for m, commercial in meters if not commercial})[:12]
    for index, account_id in enumerate(accounts):
        amount = rng.randint(40, 900) * 100 + rng.randint(0, 99)
        age = [10, 45, 75, 120][index % 4] + rng.randint(0, 10)
        services.set_balance(actor=None, account_id=account_id, amount_fen=amount,
                             due_since=today - timedelta(days=age), now=now)
    lead = next(iter(center.leads.values()), None)
    services.send_reminders(actor=lead, band="61-90", channel="sms", now=now)
    services.send_reminders(actor=lead, band="90+", channel="sms", now=now)
    if len(accounts) >= 4:  # the second owes 31–60 days and promises; the fourth, 120 days on, gets notice
        services.record_promise(actor=None, account_id=accounts[1], amount_fen=8000,
                                due_on=today + timedelta(days=5), now=now)
        services.issue_notice(actor=lead, account_id=accounts[3], now=now)
    return len(accounts)


def _desk(rng: random.Random, meters: list, center, now: datetime) -> int:
    """Yesterday's shift of a counter agent, handed over 10 元 short with a reason, awaiting approval."""
    cashier = center.info_desk.get("gas") or next(iter(center.info_desk.values()))
    yesterday = timezone.localtime(now) - timedelta(days=1)  # the counter's hours are local hours
    start = yesterday.replace(hour=8, minute=30)
    shift = services.open_shift(actor=cashier, now=start)
    accounts = [m.account for m, _c in meters]
    ic = [m.account for m, _c in meters if m.kind == "ic_card"]
    taken = {}
    for index in range(18):
        at = start + timedelta(minutes=20 * index + rng.randint(0, 15))
        method = rng.choice(["cash", "cash", "wechat", "alipay", "card"])
        ref = "" if method == "cash" else f"{at:%Y%m%d%H%M}{rng.randint(1000, 9999)}"
        if ic and index % 4 == 0:
            payment = services.top_up_ic_card(actor=cashier, account_id=rng.choice(ic).pk, method=method,
                                              reference=ref, amount_fen=rng.choice([5000, 10000, 20000]), now=at)
        else:
            payment = services.take_payment(actor=cashier, account_id=rng.choice(accounts).pk, kind="bill",
                                            method=method, reference=ref, amount_fen=rng.randint(30, 400) * 100,
                                            now=at)
        taken[method] = taken.get(method, 0) + payment.amount_fen
    taken["cash"] = taken.get("cash", 0) - 1000
    services.close_shift(actor=cashier, shift_id=shift.pk, version=shift.version, declared=taken,
                         reason="一笔现金找零多付 10 元，已与客户联系", now=yesterday.replace(hour=17, minute=30))
    return 18


def load_demo(*, center, customers, now: datetime) -> dict:
    """Fill the gas utility's pack data through the services; answers what was made."""
    rng = random.Random("kefu-demo:utility")
    gas = [c for c in customers if "gas" in c.businesses]
    for customer_class, tiers in (("residential", RESIDENTIAL), ("commercial", COMMERCIAL)):
        services.set_tariff(actor=None, customer_class=customer_class,
                            effective_from=date(timezone.localdate(now).year - 1, 1, 1), tiers=tiers, now=now)
    meters = _accounts(rng, gas, now)
    _routes(center, meters, now)
    for meter, _commercial in meters:
        meter.refresh_from_db()
    calls = _meter_tickets()
    history = _history(rng, meters, now, set(calls))
    field = _this_month(rng, history["field"], now)
    last_month = _month(timezone.localdate(now).replace(day=1), -1)
    raised = 0
    for finding in detect(last_month):
        customer_id = Meter.objects.filter(pk=finding.meter_id).values_list("account__customer_id", flat=True)[0]
        if customer_id in calls:  # raised on the repair or audit ticket the customer already has
            services.raise_abnormal(actor=None, meter_id=finding.meter_id, kind=finding.kind,
                                    evidence=finding.evidence, ticket_id=calls[customer_id], now=now)
            raised += 1
    owing = _arrears(rng, meters, center, now)
    payments = _desk(rng, meters, center, now)
    return {"meters": len(meters), "readings": history["imported"] + field, "abnormal_raised": raised,
            "arrears": owing, "desk_payments": payments}
