"""The whole demo timeline: ordinary tickets, merged duplicates, outage clusters, links, appointment windows."""

from datetime import datetime, timedelta

from django.utils import timezone

from kefu.demo import scenarios as words
from kefu.demo.cases import Case, location, reporter
from kefu.demo.flow import DONE, Flow, Step, Timeline
from kefu.tickets.lifecycle import Status as S

REOPEN_SHARE = 0.03
LINK_SHARE = 0.02
CHILD_TARGETS = {S.RESOLVED: 10, S.CALLBACK: 10, S.CLOSED: 80}


def schedule(flow: Flow, cases: list[Case]) -> None:
    """Give every case its time, final status and steps; afterwards each case's steps are in time order."""
    rng = flow.rng
    by_key = {c.key: c for c in cases}
    base = [c for c in cases if c.role == "base"]
    for case, created in zip(base, flow.created_times(len(base)), strict=True):
        case.created = created
        case.target = flow.target_for(case)
    _cover_statuses(flow, base)
    older = [c for c in base if c.target in DONE and (flow.now - c.created).days > 3]
    reopened = {c.key for c in rng.sample(older, k=min(len(older), max(1, round(len(base) * REOPEN_SHARE))))}
    for case in base:
        flow.build(case, reopen=case.key in reopened)
    for case in cases:
        if case.role == "victim":
            _victim(flow, case, by_key[case.other])
    for parent in [c for c in cases if c.role == "parent"]:
        _cluster(flow, parent, [c for c in cases if c.role == "child" and c.other == parent.key])
    _callback_origins(flow, base)
    _links(flow, base)
    for case in cases:
        _ticket_input(flow, case)
        _trim_messages(flow, case)
        _fit_before_now(flow, case)
        _appointments(flow, case)
        _confirm_receipts(flow, case)


HALLS = ["观前营业厅", "园区营业厅", "吴中营业厅", "高新区营业厅"]
# Channels where the agent always has the caller's number; in chats and forms it is often not given.
NUMBER_KNOWN = {"phone", "12345", "walk_in", "fax"}


def _ticket_input(flow: Flow, case: Case) -> None:
    """The 5W1H record and channel details the agent types in when the ticket is opened."""
    rng, ctx = flow.rng, case.ctx
    local = timezone.localtime(case.created)
    day = f"{local:%Y%m%d}"
    refs = {
        "phone": f"REC-{day}-{local:%H%M%S}-{case.creator.agent_no}",
        "chat": f"CS{day}{rng.randrange(10**6):06d}",
        "wechat": f"WX-{rng.randrange(16**8):08x}",
        "qq": f"QQ-{day}-{rng.randrange(10**4):04d}",
        "email": f"MAIL-{day}-{rng.randrange(10**4):04d}",
        "fax": f"FAX-{day}-{rng.randrange(10**3):03d}",
        "walk_in": f"{rng.choice(HALLS)} 取号 A{rng.randrange(1, 300):03d}",
        "web_form": f"WEB-{rng.randrange(10**8):08d}",
        "partner": f"PT-{day}-{rng.randrange(10**5):05d}",
        "12345": f"SZ12345-{day}{rng.randrange(10**5):05d}",
        "consumer_assoc": f"XBW-{local.year}-{rng.randrange(10**4):04d}",
        "review": f"RV-{str(ctx['order'])[-8:]}" if "order" in ctx else f"RV-{day}",
    }
    known = case.channel in NUMBER_KNOWN or rng.random() < 0.6
    case.input = {
        "type": case.scenario.type, **case.texts,
        "occurred_at": case.created - timedelta(minutes=rng.uniform(*case.scenario.occurred)),
        "reporter_name": reporter(case), "location": location(case),
        "contact_phone": str(ctx["phone"]) if known else "", "channel": case.channel,
        "channel_ref": refs[case.channel], "priority": case.priority, "is_major": case.is_major,
        "customer_id": case.customer.pk if case.customer else None,
    }


def _cover_statuses(flow: Flow, base: list[Case]) -> None:
    """Every status occurs at least once: open ones on the newest tickets that can reach them, done on older."""
    rng, pinned = flow.rng, set()
    for status in S.values:
        if any(c.target == status for c in base):
            continue
        fitting = [c for c in base if status in flow.reachable(c.scenario.type) and c.key not in pinned]
        fitting.sort(key=lambda c: c.created, reverse=status not in DONE)
        case = rng.choice(fitting[:max(1, len(fitting) // 5)])
        case.target = status
        pinned.add(case.key)


def _victim(flow: Flow, victim: Case, survivor: Case) -> None:
    """A second contact about the same matter, merged into the first ticket shortly after."""
    rng = flow.rng
    span = min((survivor.done_at or flow.limit) - survivor.created, timedelta(days=1))
    span = max(span, timedelta(minutes=20))
    victim.created = min(survivor.created + timedelta(minutes=rng.uniform(15, span.total_seconds() / 60)),
                         flow.limit - timedelta(minutes=3))
    victim.target = S.CLOSED
    tl = Timeline(flow, victim, victim.created)
    tl.add("create", victim.creator, (0, 0), at=victim.created)
    victim.team_id = victim.creator.team_id
    tl.say(victim.creator, "reply", victim.pick(victim.scenario.ack), gap=(1, 10))
    tl.say(flow.center.supervisor, "note", words.MERGE_NOTES, gap=(10, 90), optional=False)
    tl.add("merge", flow.center.supervisor, (1, 10), other=survivor.key)


def _cluster(flow: Flow, parent: Case, children: list[Case]) -> None:
    """An outage: the parent ticket, callers' tickets under it, all resolved before the parent can be."""
    rng, center = flow.rng, flow.center
    today = timezone.localtime(flow.now).replace(hour=0, minute=0, second=0, microsecond=0)
    t0 = today - timedelta(days=rng.randint(12, 80)) + timedelta(hours=rng.randint(9, 16), minutes=rng.randrange(60))
    fixed = t0 + timedelta(minutes=rng.uniform(180, 360))
    parent.created, parent.target = t0, S.CLOSED
    owner = parent.creator
    tl = Timeline(flow, parent, t0)
    tl.add("create", owner, (0, 0), at=t0, assignee=owner)
    tl.cur, parent.team_id = S.ASSIGNED, owner.team_id
    tl.say(owner, "reply", parent.scenario.ack, gap=(1, 3), optional=False)
    tl.go(S.IN_PROGRESS, owner, gap=(1, 3))
    team = flow.route_team(parent)
    tl.add("dispatch", owner, (1, 4), team=team, rescue=team.is_field_crew,
           note=f"重大事件，派{team.name}立即处置。")
    tl.cur = S.WAITING_OTHER
    flow.extras(parent, tl)
    if team.is_field_crew:
        member = rng.choice(center.crew_members[team.pk])
        tl.go(S.IN_PROGRESS, member, gap=(15, 30), reason="抢修人员到达现场")
        parent.steps[-1].params["arrival"] = True
        tl.say(member, "note", parent.scenario.crew_notes[:1], gap=(5, 15), optional=False)
        tl.add("message", member, (0, 0), at=fixed, kind="note", body=parent.scenario.crew_notes[-1])
        resolver = member
    else:
        tl.add("message", owner, (0, 0), at=fixed, kind="note", body=parent.scenario.crew_notes[-1])
        tl.go(S.IN_PROGRESS, owner, gap=(1, 5))
        resolver = owner
    tl.say(owner, "reply", parent.scenario.result, gap=(20, 40))
    resolve_at = fixed + timedelta(minutes=rng.uniform(60, 90))
    tl.add("move", resolver, (0, 0), at=resolve_at, to=S.RESOLVED, reason="")
    tl.cur = S.RESOLVED
    parent.done_at, tl.urgent = tl.t, False  # callbacks wait for office hours again
    tl.go(S.CALLBACK, owner, gap=(1440, 2880), reason="事件处置完毕，进入回访")
    tl.say(owner, "reply", words.CALLBACK_REPLIES, gap=(5, 120), optional=False)
    tl.go(S.CLOSED, owner, gap=(1, 30), reason="事件报告已提交，结案")

    early = max(1, len(children) // 4)  # the first calls came in before anyone knew it was one outage
    window = (fixed - t0).total_seconds() / 60 - 25
    for i, child in enumerate(children):
        before = i < early
        child.created = t0 - timedelta(minutes=rng.uniform(5, 25)) if before \
            else t0 + timedelta(minutes=rng.uniform(5, window))
        reachable = flow.reachable(child.scenario.type)
        fitting = {s: w for s, w in CHILD_TARGETS.items() if s in reachable}
        child.target = rng.choices(list(fitting), weights=list(fitting.values()))[0]
        agent = child.creator
        ctl = Timeline(flow, child, child.created)
        ctl.urgent = True  # during an outage the desk works on past its hours until supply is back
        # An agent of the parent's team files the call under it at once; anyone else cannot see the parent,
        # so the supervisor attaches the ticket (as for the calls that came before the parent existed).
        direct = not before and agent.team_id == parent.team_id
        ctl.add("create", agent, (0, 0), at=child.created, assignee=agent, parent=parent.key if direct else None)
        ctl.cur, child.team_id = S.ASSIGNED, agent.team_id
        ctl.say(agent, "reply", child.pick(child.scenario.ack), gap=(1, 5))
        if not direct:
            at = max(t0, child.created) + timedelta(minutes=rng.uniform(10, 30))
            ctl.add("parent", center.supervisor, (0, 0), at=at, other=parent.key)
        ctl.say(agent, "note", child.pick(child.scenario.notes), gap=(1, 10))
        ctl.go(S.IN_PROGRESS, agent, gap=(1, 10))
        ctl.add("message", agent, (0, 0), at=fixed + timedelta(minutes=rng.uniform(5, 45)), kind="reply",
                body=flow.rng.choice(child.pick(child.scenario.result)))
        ctl.go(S.RESOLVED, agent, gap=(1, 5))
        child.done_at, ctl.urgent = ctl.t, False  # callbacks wait for office hours again
        if child.target == S.RESOLVED:
            continue
        if S.CALLBACK in flow.graphs[child.scenario.type][S.RESOLVED]:
            ctl.go(S.CALLBACK, agent, gap=(1440, 2880), reason="进入回访")
            if child.target == S.CALLBACK:
                continue
            ctl.say(agent, "reply", words.CALLBACK_REPLIES, gap=(5, 120), optional=False)
        ctl.go(S.CLOSED, agent, gap=(1, 60))
    late = [c.key for c in children if c.done_at >= resolve_at]
    if late:  # transition_ticket would refuse the parent; better to fail here, before anything is written
        raise RuntimeError(f"outage children {late} are still open when their parent is resolved")


def _callback_origins(flow: Flow, base: list[Case]) -> None:
    """A callback (回访) ticket is about an earlier finished ticket of its business, better of its customer."""
    for case in base:
        if case.scenario.type != "callback":
            continue
        done = [c for c in base if c.business == case.business and c.scenario.type != "callback"
                and c.done_at is not None and c.done_at < case.created]
        if not done:
            continue
        same = [c for c in done if case.customer is not None and c.customer is case.customer]
        origin = flow.rng.choice(same or done[-20:])
        case.origin = origin.key
        actor = case.creator if origin.team_id == case.creator.team_id else flow.center.supervisor
        _insert(case, Step(case.steps[0].at + timedelta(seconds=30), "link", actor,
                           {"other": origin.key, "kind": "related"}))


def _links(flow: Flow, base: list[Case]) -> None:
    """Link a later ticket of a customer to an earlier one: a complaint caused by a repair, a related request."""
    rng = flow.rng
    by_customer: dict[int, list[Case]] = {}
    for case in base:
        if case.customer is not None and case.scenario.type != "callback":
            by_customer.setdefault(case.customer.pk, []).append(case)
    pairs = [(a, b) for group in by_customer.values() for a, b in zip(group, group[1:], strict=False)
             if timedelta(0) < b.created - a.created < timedelta(days=30)]
    for a, b in rng.sample(pairs, k=min(len(pairs), max(1, round(len(base) * LINK_SHARE)))):
        kind = "caused_by" if b.scenario.type == "complaint" and a.scenario.type != "complaint" else "related"
        at = b.created + timedelta(minutes=rng.uniform(5, 60))
        if at < flow.limit:
            _insert(b, Step(at, "link", flow.center.supervisor, {"other": a.key, "kind": kind}))


def _insert(case: Case, step: Step) -> None:
    """Put a step among the case's steps by time (it is never the first: the creation stays first)."""
    index = next((i for i, s in enumerate(case.steps) if i > 0 and s.at > step.at), len(case.steps))
    case.steps.insert(index, step)


def _trim_messages(flow: Flow, case: Case) -> None:
    """Keep 1–3 replies and notes per ticket: all required ones, then optional ones up to the chosen count."""
    messages = [s for s in case.steps if s.kind == "message" and s.params["kind"] != "customer"]
    required = [s for s in messages if not s.optional]
    optional = [s for s in messages if s.optional]
    want = max(flow.rng.choice([1, 1, 2, 2, 3]) - len(required), 0)
    keep = set(map(id, flow.rng.sample(optional, k=min(want, len(optional)))))
    if not required and not keep and optional:
        keep.add(id(optional[0]))
    case.steps = [s for s in case.steps if not s.optional or id(s) in keep]


def _fit_before_now(flow: Flow, case: Case) -> None:
    """Squeeze a young ticket's steps between its creation and now, keeping their order."""
    last = case.steps[-1].at
    if last <= flow.limit:
        return
    start, span = case.created, (last - case.created).total_seconds()
    room = (flow.limit - start).total_seconds()
    for i, step in enumerate(case.steps):
        step.at = start + timedelta(seconds=(step.at - start).total_seconds() * room / span) + \
            timedelta(microseconds=i)
    if case.done_at is not None and case.done_at > flow.limit:
        case.done_at = flow.limit


def _appointments(flow: Flow, case: Case) -> None:
    """Appointment windows (约单) around the crew's arrival, and the window the texts talk about."""
    rng = flow.rng
    draw = rng.random()
    steps = case.steps
    window = None
    for i, step in enumerate(steps):
        if step.kind != "dispatch":
            continue
        team = step.params["team"]
        arrival = next((s.at for s in steps[i + 1:] if s.params.get("arrival")), None)
        if step.params.get("rescue"):
            start = step.at
            end = (arrival or step.at) + timedelta(minutes=30)
        elif team.is_field_crew or team.name == "勘察设计组":
            if arrival is not None:
                start = max(arrival.replace(minute=0, second=0, microsecond=0) - timedelta(hours=int(draw * 2)),
                            step.at + timedelta(minutes=1))
                end = max(start + timedelta(hours=3), arrival + timedelta(minutes=30))
            else:
                local = timezone.localtime(step.at) + timedelta(days=1)
                hour = 9 if draw < 0.5 else 14
                start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
                end = start + timedelta(hours=3)
        else:
            continue
        step.params["window"] = (start, end)
        window = (start, end)
    if window is None:  # what a complaint says was promised, or what a reply offers
        offset = -1 if case.scenario.type == "complaint" else 1
        local = timezone.localtime(case.created) + timedelta(days=offset)
        start = local.replace(hour=9 if draw < 0.5 else 14, minute=0, second=0, microsecond=0)
        window = (start, start + timedelta(hours=3))
    case.ctx["window"] = _window_words(*window)
    case.ctx["deadline"] = (timezone.localtime(case.created) + timedelta(days=5)).date().isoformat()


def _confirm_receipts(flow: Flow, case: Case) -> None:
    """CH3: after replying by mail or fax the agent phones to confirm it arrived, and ticks the task off."""
    if case.channel not in ("email", "fax"):
        return
    for step in [s for s in case.steps if s.kind == "message" and s.params["kind"] == "reply"]:
        at = flow.working(step.at + timedelta(minutes=flow.rng.uniform(30, 240)), "desk", flow.rng.random())
        if at < flow.limit - timedelta(hours=2):  # the newest tasks are still open, as they would be
            _insert(case, Step(at, "follow_up", step.actor, {"result": flow.rng.choice(words.RECEIPT_RESULTS)}))


def _window_words(start: datetime, end: datetime) -> str:
    """An appointment window as agents say it: 11月23日 09:00-12:00."""
    a, b = timezone.localtime(start), timezone.localtime(end)
    return f"{a.month}月{a.day}日 {a:%H:%M}-{b:%H:%M}"
