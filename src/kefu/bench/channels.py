"""`kefu bench channels`: inbound email parsed, threaded and stored; signed webhook messages accepted over the
API with every one delivered twice (the platform's retry); CTI call events accepted; the memory the mail
path needs for a message with a 20 MB attachment."""

import base64
import json
import random
import time
import tracemalloc

from django.utils import timezone

from kefu.bench.common import OpTimes, Progress, bench_database, peak_rss_mb, ratio

SECRET = "bench-secret"  # noqa: S105 — the throwaway bench database's own endpoint
NAMES = ["王喆", "陈𠝹", "李娜", "张伟", "刘洋", "Smith"]
SUBJECTS = ["燃气费怎么交", "燃气表不走字", "申请过户", "报修：灶具打不着火", "发票开错了", "Refund please"]
BODIES = ["请问燃气费怎么交？谢谢。", "家里燃气表不走字了，麻烦派人看一下。", "我要把户主改成我爱人，需要带什么材料？",
          "灶具打不着火，闻到一点气味。", "上个月的发票抬头开错了，请重开。", "I was charged twice, please refund."]


def _mail(i: int, rng: random.Random, replies_to: list[str]) -> bytes:
    """One of the shapes the center receives: GBK or UTF-8, plain or HTML-only, new or a reply with history."""
    name, subject, body = rng.choice(NAMES), rng.choice(SUBJECTS), rng.choice(BODIES)
    sender = f"c{rng.randrange(2000)}@qq.com"
    charset = rng.choice(["utf-8", "gb18030", "gbk"]) if "𠝹" not in name else "gb18030"
    codec = "gb18030" if charset != "utf-8" else "utf-8"
    head = [f"From: =?{charset}?B?{base64.b64encode(name.encode(codec)).decode()}?= <{sender}>",
            f"Subject: =?{charset}?B?{base64.b64encode(subject.encode(codec)).decode()}?=",
            f"Message-ID: <bench-{i}@qq.com>", "MIME-Version: 1.0"]
    if replies_to and rng.random() < 0.4:
        parent = rng.choice(replies_to)
        head += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
        body += f"\n\n在 2026年12月5日 09:30，燃气客服 写道：\n> {rng.choice(BODIES)}\n> 燃气客服"
    if rng.random() < 0.2:
        head.append(f"Content-Type: text/html; charset={charset}")
        body = f"<html><body><p>{body}</p><script>alert(1)</script><img src='http://t.example/p.gif'></body></html>"
    else:
        head.append(f"Content-Type: text/plain; charset={charset}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body.encode(codec)


def _setup():
    from kefu.accounts.models import Department
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_department, create_team, create_user
    from kefu.channels.models import Endpoint, Mailbox, Medium

    department = create_department(actor=None, name="客服部", kind=Department.Kind.SERVICE)
    team = create_team(actor=None, department=department, name="一班")
    create_user(actor=None, username="bench-agent", password=None, role=Role.AGENT, team=team, agent_no="1001")
    mailbox = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=team)
    endpoint = Endpoint.objects.create(medium=Medium.WEBHOOK, name="商城", slug="shop", secret=SECRET,
                                       team=team)
    return mailbox, endpoint


def _emails(n: int, mailbox, rng: random.Random, progress: Progress) -> dict:
    from kefu.channels.email.receive import receive_mail
    from kefu.channels.models import InboundMessage

    times, seen = OpTimes(), []
    for i in range(n):
        raw = _mail(i, rng, seen[-500:])
        times.time(receive_mail, raw=raw, mailbox=mailbox)
        seen.append(f"bench-{i}@qq.com")
        progress.tick("emails", i + 1, n, times.rate)
    threaded = InboundMessage.objects.filter(medium="email", state="threaded").count()
    return {**times.summary(), "stored": InboundMessage.objects.filter(medium="email").count(),
            "threaded": threaded}


def _webhook(n: int, endpoint, rng: random.Random, progress: Progress) -> dict:
    """Each message is posted twice (a retry), in shuffled order; both answers must name the same entry."""
    from django.test import Client

    from kefu.channels.models import InboundMessage
    from kefu.channels.webhook.signing import sign

    client = Client()
    deliveries = [i for i in range(n) for _ in range(2)]
    rng.shuffle(deliveries)
    times, answers, failures = OpTimes(), {}, 0
    for done, i in enumerate(deliveries, 1):
        body = json.dumps({"sender": {"id": f"buyer-{i % 1000}", "name": "买家"},
                           "text": f"订单 {i} 什么时候发货？"}, ensure_ascii=False).encode()
        ts = int(time.time())
        with times.timing():
            response = client.post("/api/v1/channels/webhook/shop/messages", body, content_type="application/json",
                                   HTTP_X_KEFU_TIMESTAMP=str(ts), HTTP_X_KEFU_SIGNATURE=sign(SECRET, ts, body),
                                   HTTP_IDEMPOTENCY_KEY=f"msg-{i}")
        if response.status_code != 200:
            failures += 1
            continue
        inbound = response.json()["inbound"]
        if answers.setdefault(i, inbound) != inbound:
            failures += 1
        progress.tick("webhook deliveries", done, len(deliveries), times.rate)
    stored = InboundMessage.objects.filter(medium="webhook").count()
    return {**times.summary(), "messages": n, "deliveries": len(deliveries), "stored": stored,
            "duplicates": stored - len(answers), "failures": failures}


def _cti(n: int, progress: Progress) -> dict:
    from kefu.cti.services import CallEvent, report_call_event

    times = OpTimes()
    now = timezone.now()
    for i in range(n):
        event = ("ringing", "answered", "ended")[i % 3]
        times.time(report_call_event, actor=None, data=CallEvent(
            call_id=f"bench-call-{i // 3}", event=event, agent_no="1001", caller=f"1381234{i // 3 % 10000:04d}",
            at=now))
        progress.tick("CTI events", i + 1, n, times.rate)
    return times.summary()


def _big_attachment(mailbox, size_mb: int) -> dict:
    """Python's peak allocations while one mail with a size_mb attachment is parsed and stored."""
    from kefu.channels.email.receive import receive_mail

    Mailbox = type(mailbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(max_attachment_kb=(size_mb + 1) * 1024)
    mailbox.refresh_from_db()
    data = b"%PDF-1.4\n" + random.Random(1).randbytes(size_mb * 1024 * 1024)
    encoded = base64.encodebytes(data).decode()
    raw = ("From: big@qq.com\r\nSubject: big\r\nMessage-ID: <big-1@qq.com>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n"
           "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=big.pdf\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n").encode()
    del encoded
    rss_before = peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    receive_mail(raw=raw, mailbox=mailbox)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"attachment_mb": size_mb, "message_mb": round(len(raw) / 2**20, 1), "seconds": round(seconds, 2),
            "python_peak_mb": round(peak / 2**20, 1), "process_peak_rss_mb": peak_rss_mb(),
            "process_peak_rss_before_mb": rss_before}


def run(options: dict, progress: Progress) -> dict:
    rng = random.Random(options["seed"])
    result: dict = {"bench": "channels", "config": {k: options[k] for k in ("emails", "webhooks", "cti", "seed")}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        mailbox, endpoint = _setup()
        progress.say("inbound email: parse, thread, store")
        result["email"] = _emails(options["emails"], mailbox, rng, progress)
        progress.say("signed webhook over the API, each message delivered twice")
        result["webhook"] = _webhook(options["webhooks"], endpoint, rng, progress)
        progress.say("CTI call events")
        result["cti"] = _cti(options["cti"], progress)
        progress.say(f"one mail with a {options['attachment_mb']} MB attachment")
        result["big_attachment"] = _big_attachment(mailbox, options["attachment_mb"])
    result["targets"] = {"email_per_s": 300, "webhook_per_s": 500, "cti_per_s": 1000}
    result["ratios"] = {"email_vs_target": ratio(result["email"]["per_s"], 300),
                        "webhook_vs_target": ratio(result["webhook"]["per_s"], 500),
                        "cti_vs_target": ratio(result["cti"]["per_s"], 1000),
                        "big_attachment_python_peak_vs_message": ratio(result["big_attachment"]["python_peak_mb"],
                                                                       result["big_attachment"]["message_mb"])}
    return result


def summary(result: dict) -> str:
    e, w, c, b = result["email"], result["webhook"], result["cti"], result["big_attachment"]
    return (f"email {e['per_s']:,.0f}/s ({e['threaded']} threaded of {e['stored']}); "
            f"webhook {w['per_s']:,.0f}/s, {w['duplicates']} duplicates of {w['messages']} messages delivered twice; "
            f"CTI {c['per_s']:,.0f} events/s; {b['attachment_mb']} MB attachment: Python peak "
            f"{b['python_peak_mb']} MB, process peak RSS {b['process_peak_rss_mb']} MB")
