"""`kefu bench quality`: the automatic checks over --transcripts chat transcripts (in memory, then --stored of them
written as contacts the way sampling writes them), and every KPI of one month for --agents agents over
--contacts contacts, per agent, per team and for the center."""

import random
import time
from datetime import date, datetime, timedelta

from django.utils import timezone

from kefu.bench.common import Progress, bench_database, peak_rss_mb, ratio

AGENT_LINES = ["您好，很高兴为您服务", "请您提供一下户号", "好的，请稍等", "谢谢您的耐心等待", "对不起让您久等了",
               "这个不归我管", "您的燃气费已经到账", "我们会尽快安排师傅上门", "还有什么可以帮您", "再见，祝您生活愉快",
               "不知道", "你听我说", "请保持电话畅通", "维修师傅明天上午到"]
CUSTOMER_LINES = ["我家燃气表不走了", "充值没到账", "什么时候来修", "你们怎么回事", "好的谢谢", "我要投诉",
                  "账单怎么算的", "能快点吗"]
CHANNELS = ["phone", "phone", "phone", "chat", "wechat", "web_form"]


def _transcripts(n: int, rng: random.Random) -> list:
    from kefu.quality.contacts import AGENT, CUSTOMER, ContactData, Line

    started = timezone.now()
    out = []
    for i in range(n):
        lines, offset = [], 0.0
        for j in range(rng.randint(6, 20)):
            speaker = CUSTOMER if j % 2 == 0 else AGENT
            offset += rng.uniform(2, 40)
            lines.append(Line(speaker=speaker, offset=offset,
                              text=rng.choice(AGENT_LINES if speaker == AGENT else CUSTOMER_LINES), ref=str(j)))
        out.append(ContactData(source="bench", ref=str(i), agent_id=1, started_at=started, channel="chat",
                               lines=lines))
    return out


def _checks(options: dict, rng: random.Random, progress: Progress) -> dict:
    from kefu.quality.services.sampling import _save, checker

    n = options["transcripts"]
    data = _transcripts(n, rng)
    check = checker().check
    started, cpu = time.perf_counter(), time.process_time()
    failed = sum(1 for d in data if check(d)["failed"])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    stored = data[: options["stored"]]
    from kefu.accounts.services import create_user

    agent = create_user(actor=None, username="bench-qa-agent", password=None, role="agent", agent_no="BQ1")
    for d in stored:
        d.agent_id = agent.pk
    began = time.perf_counter()
    done = 0
    for k in range(0, len(stored), 500):
        _save(stored[k:k + 500], timezone.now())
        done += len(stored[k:k + 500])
        progress.tick("contacts written", done, len(stored), done / max(time.perf_counter() - began, 1e-9))
    write_seconds = time.perf_counter() - began
    return {"transcripts": n, "lines": sum(len(d.lines) for d in data), "failed": failed,
            "seconds": round(seconds, 3), "per_s": round(n / seconds), "cpu_per_s": round(n / max(cpu_seconds, 1e-9)),
            "stored": len(stored), "stored_per_s": round(len(stored) / max(write_seconds, 1e-9))}


def _world(options: dict, rng: random.Random, month: date, progress: Progress) -> dict:
    """Teams of 20 agents and a month of tickets, calls, survey answers, breaches and QA evaluations in bulk."""
    from kefu.accounts.models import Department, Team, User
    from kefu.cti.models import Call, CallState
    from kefu.kpi.periods import Period
    from kefu.quality.models import Contact, Evaluation, Scorecard
    from kefu.reports.models import SurveyAnswer
    from kefu.tickets.models import Ticket, TicketEvent, TicketType

    period = Period.month(month)
    department = Department.objects.create(name="bench")
    teams = Team.objects.bulk_create([Team(name=f"班{i}", department=department)
                                      for i in range(max(1, options["agents"] // 20))])
    User.objects.bulk_create([User(username=f"bench-a{i}", role="agent", team=teams[i % len(teams)],
                                   agent_no=f"K{i}", display_name=f"坐席{i}") for i in range(options["agents"])])
    agents = list(User.objects.filter(username__startswith="bench-a").values_list("pk", "team_id"))
    types = list(TicketType.objects.values_list("pk", "is_complaint"))
    span = (period.end - period.start).total_seconds()
    n, done, began = options["contacts"], 0, time.perf_counter()
    while done < n:
        size = min(5000, n - done)
        rows = []
        for _ in range(size):
            agent, team = rng.choice(agents)
            created = period.start + timedelta(seconds=rng.uniform(0, span - 7200))
            type_id, _complaint = rng.choice(types)
            resolved = created + timedelta(hours=1) if rng.random() < 0.7 else None
            rows.append(Ticket(ticket_type_id=type_id, title="bench", channel=rng.choice(CHANNELS),
                               contact_phone=f"138{rng.randrange(n // 3 + 1):08d}", status="resolved" if resolved else
                               "new", is_open=resolved is None, team_id=team, assignee_id=agent, created_by_id=agent,
                               created_at=created, updated_at=created, resolved_at=resolved))
        tickets = Ticket.objects.bulk_create(rows, batch_size=1000)
        resolved = [t for t in tickets if t.resolved_at]
        breaches = [TicketEvent(ticket=t, version=2, code="sla_breached", params={}, created_at=t.resolved_at)
                    for t in resolved if rng.random() < 0.05]
        TicketEvent.objects.bulk_create(breaches, batch_size=1000)
        calls = [Call(call_id=f"B{done + i}", agent_id=t.created_by_id, caller=t.contact_phone, state=CallState.ENDED,
                      rang_at=t.created_at, answered_at=t.created_at + timedelta(seconds=5),
                      ended_at=t.created_at + timedelta(seconds=5 + rng.randint(30, 600)))
                 for i, t in enumerate(tickets) if t.channel == "phone"]
        Call.objects.bulk_create(calls, batch_size=1000)
        SurveyAnswer.objects.bulk_create([
            SurveyAnswer(response=t.pk, ticket=t, csat=rng.randint(1, 5), nps=rng.randint(0, 10),
                         agent_id=t.created_by_id, answered_at=t.resolved_at + timedelta(hours=1), month=month)
            for t in resolved if rng.random() < 0.15], batch_size=1000)
        done += size
        progress.tick("contacts", done, n, done / max(time.perf_counter() - began, 1e-9))
    card = Scorecard.objects.filter(current__isnull=False).select_related("current").first().current
    sampled = list(Ticket.objects.filter(created_at__gte=period.start)
                   .values_list("pk", "created_by_id", "created_at")[: options["agents"] * 5])
    contacts = Contact.objects.bulk_create([
        Contact(source="ticket", ref=str(pk), agent_id=agent, channel="phone", started_at=at, month=month)
        for pk, agent, at in sampled], batch_size=1000)
    qa = User.objects.create(username="bench-qa", role="qa_inspector")
    Evaluation.objects.bulk_create([
        Evaluation(contact=c, card=card, inspector=qa, agent_id=c.agent_id, score=rng.randint(60, 100),
                   scored_at=c.started_at + timedelta(hours=2), month=month) for c in contacts], batch_size=1000)
    return {"agents": len(agents), "teams": len(teams), "contacts": n, "evaluations": len(contacts),
            "seconds": round(time.perf_counter() - began, 1)}


def _kpis(month: date) -> dict:
    from kefu.accounts.models import User
    from kefu.kpi.definitions import AGENT, CENTER, MEASURES, TEAM
    from kefu.kpi.periods import Period
    from kefu.kpi.selectors import kpi_table

    manager = User.objects.create(username="bench-manager", role="manager")
    period = Period.month(month, now=datetime.combine(month, datetime.min.time()).astimezone() + timedelta(days=40))
    out: dict = {"per_measure_s": {}}
    for code, measure in MEASURES.items():
        began = time.perf_counter()
        measure.compute(period, AGENT)
        out["per_measure_s"][code] = round(time.perf_counter() - began, 3)
    for group in (AGENT, TEAM, CENTER):
        began = time.perf_counter()
        rows = kpi_table(manager, period, group)
        out[f"{group}_s"] = round(time.perf_counter() - began, 3)
        out[f"{group}_rows"] = len(rows)
    return out


def run(options: dict, progress: Progress) -> dict:
    rng = random.Random(options["seed"])
    month = date(2026, 11, 1)
    result: dict = {"bench": "quality", "config": {k: options[k] for k in ("transcripts", "stored", "agents",
                                                                            "contacts", "seed")}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        progress.say("automatic checks")
        result["checks"] = _checks(options, rng, progress)
        progress.say("a month of contacts")
        result["load"] = _world(options, rng, month, progress)
        progress.say("monthly KPIs")
        result["kpi"] = _kpis(month)
        result["ratios"] = {"checks_per_s_vs_target_2000": ratio(result["checks"]["per_s"], 2000),
                            "kpi_agent_s_vs_target_5": ratio(result["kpi"]["agent_s"], 5)}
        result["memory"] = {"peak_rss_mb": peak_rss_mb()}
    return result


def summary(result: dict) -> str:
    c, k = result["checks"], result["kpi"]
    return (f"quality on {result['config']['database']}: checks {c['per_s']}/s over {c['transcripts']} transcripts "
            f"({c['stored_per_s']}/s written); monthly KPIs of {result['load']['agents']} agents over "
            f"{result['load']['contacts']} contacts: agent {k['agent_s']} s, team {k['team_s']} s, "
            f"center {k['center_s']} s")
