"""When each demo ticket happens and what happens to it on the way to its final status.

Every case gets a creation time in the last ~90 days, a final status that fits its age and its type's
lifecycle, and a list of timed steps (assign, transitions, replies, dispatch, reopen, merge, links) that the
loader replays through the ticket services in time order.
"""

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from kefu.accounts.models import Team, User
from kefu.demo import scenarios as words
from kefu.demo.cases import Case
from kefu.demo.center import Center
from kefu.tickets.lifecycle import Priority
from kefu.tickets.lifecycle import Status as S
from kefu.tickets.models import TicketType

SPAN_DAYS = 90
# Calls per hour of the day: the morning and early-afternoon peaks of a Chinese call center.
HOURS = [1, .5, .3, .3, .3, .5, 1, 3, 8, 12, 12, 10, 6, 8, 11, 11, 10, 8, 6, 5, 4, 3, 2, 1.5]
WEEKDAY = [1.0, .95, .95, .9, .9, .7, .6]  # Monday … Sunday
# Final statuses by the age of the ticket: today's are open, last quarter's mostly closed.
TARGETS = [
    (1, {S.NEW: 20, S.ASSIGNED: 20, S.IN_PROGRESS: 25, S.WAITING_CUSTOMER: 12, S.WAITING_OTHER: 13,
         S.RESOLVED: 7, S.CLOSED: 3}),
    (7, {S.NEW: 2, S.ASSIGNED: 5, S.IN_PROGRESS: 12, S.WAITING_CUSTOMER: 10, S.WAITING_OTHER: 12,
         S.RESOLVED: 20, S.CALLBACK: 12, S.CLOSED: 27}),
    (SPAN_DAYS + 1, {S.ASSIGNED: .5, S.IN_PROGRESS: 1.5, S.WAITING_CUSTOMER: 1.5, S.WAITING_OTHER: 2,
                     S.RESOLVED: 4, S.CALLBACK: 3, S.CLOSED: 87.5}),
]
DONE = (S.RESOLVED, S.CALLBACK, S.CLOSED)
REASONS = {S.WAITING_CUSTOMER: "等待客户补充材料或确认时间", S.WAITING_OTHER: "已转其他部门核实",
           S.CLOSED: "处理完毕，结案"}


@dataclass
class Step:
    """One service call to make: at a time, by a user, on the case it belongs to."""

    at: datetime
    kind: str  # create, assign, move, message, dispatch, reopen, link, merge, parent
    actor: User
    params: dict = field(default_factory=dict)
    optional: bool = False  # a reply or note that may be left out to keep 1–3 per ticket


class Timeline:
    """Appends steps to a case, each some minutes after the previous one, inside working hours."""

    def __init__(self, flow: "Flow", case: Case, start: datetime):
        """Start at `start` (the creation time) with the ticket not yet created."""
        self.flow, self.case, self.t = flow, case, start
        self.cur = S.NEW  # the status the ticket will have once the steps so far have run
        self.urgent = case.scenario.type == "emergency" or case.priority == Priority.URGENT or case.is_major

    def add(self, action: str, actor: User, gap: tuple[float, float], *, hours: str = "desk", optional=False,
            at: datetime | None = None, **params) -> Step:
        """A step `gap` minutes (a random span) after the previous one, or exactly `at`."""
        rng = self.flow.rng
        minutes, draw = rng.uniform(*gap), rng.random()  # drawn always, so the stream never depends on the hour
        t = at or self.t + timedelta(minutes=minutes)
        if at is None and hours and not self.urgent:
            t = self.flow.working(t, hours, draw)
        # The first step sits exactly at the creation time; every later one strictly after its predecessor.
        self.t = t if not self.case.steps else max(t, self.t + timedelta(seconds=1))
        step = Step(self.t, action, actor, params, optional)
        self.case.steps.append(step)
        return step

    def go(self, to: str, actor: User, gap=(5, 90), reason: str = "", hours: str = "desk") -> None:
        """Transitions from the current status to `to` along the shortest allowed chain."""
        chain = self.flow.path(self.case.scenario.type, self.cur, to)
        if chain is None:
            raise AssertionError(f"{self.case.scenario.type}: no way from {self.cur} to {to}")
        for i, status in enumerate(chain):
            self.add("move", actor, gap if i == 0 else (1, 5), hours=hours, to=status,
                     reason=reason or REASONS.get(status, ""))
            self.cur = status

    def say(self, actor: User, kind: str, templates: list[str], gap=(5, 60), optional=True, hours="desk") -> None:
        """A reply, internal note or customer message chosen from `templates` (formatted when sent)."""
        if templates:
            self.add("message", actor, gap, hours=hours, optional=optional and kind != "customer", kind=kind,
                     body=self.flow.rng.choice(templates))


class Flow:
    """The flow pass: times, final statuses and steps for every case."""

    def __init__(self, rng: random.Random, center: Center, types: dict[str, TicketType], now: datetime):
        """Read every type's transitions once; nothing may happen later than two minutes before `now`."""
        self.rng, self.center, self.types = rng, center, types
        self.now = now
        self.limit = now - timedelta(minutes=2)
        self.graphs = {code: {s: t.allowed_next(s) for s in S.values} for code, t in types.items()}
        self.teams = center.teams

    # ---- time -------------------------------------------------------------------------------------------

    def created_times(self, count: int) -> list[datetime]:
        """Creation times over the last SPAN_DAYS days, weighted by weekday and hour, oldest first."""
        rng = self.rng
        today = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        days = [today - timedelta(days=d) for d in range(SPAN_DAYS)]
        day_weights = [WEEKDAY[d.weekday()] * (1 + 0.3 * (SPAN_DAYS - i) / SPAN_DAYS) for i, d in enumerate(days)]
        times = []
        for _ in range(count):
            day = rng.choices(days, weights=day_weights)[0]
            hour = rng.choices(range(24), weights=HOURS)[0]
            t = day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
            back = rng.uniform(5, 600)
            if t > self.limit - timedelta(minutes=5):  # later today than now: move it into the past hours
                t = self.limit - timedelta(minutes=back)
            times.append(t)
        return sorted(times)

    def working(self, t: datetime, hours: str, draw: float) -> datetime:
        """`t`, or the next opening of the desk (08:30–20:30) or of the field crews (08:30–18:00)."""
        local = timezone.localtime(t)
        end = 20.5 if hours == "desk" else 18
        h = local.hour + local.minute / 60
        if 8.5 <= h < end:
            return t
        day = local if h < 8.5 else local + timedelta(days=1)
        return day.replace(hour=8, minute=30, second=0, microsecond=0) + timedelta(minutes=draw * 90)

    def target_for(self, case: Case) -> str:
        """A final status fitting the ticket's age and reachable in its type's lifecycle."""
        age = (self.now - case.created).total_seconds() / 86400
        weights = next(w for days, w in TARGETS if age < days)
        reachable = self.reachable(case.scenario.type)
        fitting = {s: w for s, w in weights.items() if s in reachable}
        return self.rng.choices(list(fitting), weights=list(fitting.values()))[0]

    def reachable(self, code: str) -> set[str]:
        """Statuses a new ticket of this type can reach (assigned is reached by assigning)."""
        seen, queue = {S.NEW, S.ASSIGNED}, deque([S.NEW, S.ASSIGNED])
        while queue:
            for nxt in self.graphs[code][queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def path(self, code: str, start: str, to: str) -> list[str] | None:
        """The shortest chain of allowed transitions from `start` to `to` (never through assigned)."""
        if start == to:
            return []
        previous, queue = {start: None}, deque([start])
        while queue:
            status = queue.popleft()
            for nxt in self.graphs[code][status]:
                if nxt in previous or nxt == S.ASSIGNED:
                    continue
                previous[nxt] = status
                if nxt == to:
                    chain = [nxt]
                    while previous[chain[-1]] != start:
                        chain.append(previous[chain[-1]])
                    return chain[::-1]
                queue.append(nxt)
        return None

    # ---- people -------------------------------------------------------------------------------------------

    def teammate(self, team_id: int, other_than: User | None = None) -> User:
        """An agent (or handler) of the team, preferably not `other_than`."""
        members = [u for u in self.center.by_team[team_id] if u != other_than] or self.center.by_team[team_id]
        return self.rng.choice(members)

    def route_team(self, case: Case) -> Team | None:
        """The team a case is dispatched to: its district's crew, the emergency crew, or a named team."""
        route = case.scenario.route
        if route is None:
            return None
        if route == "crew":
            return self.teams[case.ctx["crew"]]
        if route == "rescue":
            return self.teams["应急抢修队"]
        return self.teams[route]

    # ---- one ordinary ticket ----------------------------------------------------------------------------

    def build(self, case: Case, *, reopen: bool = False) -> None:
        """Steps from creation to `case.target` along the type's lifecycle, in the order a center works."""
        rng, center, target = self.rng, self.center, case.target
        code, s = case.scenario.type, case.scenario
        tl = Timeline(self, case, case.created)
        creator = case.creator
        # Most agents take the contact they answered themselves; the rest wait in the team queue for the lead.
        self_assign = target != S.NEW and code != "complaint" and rng.random() < 0.6
        tl.add("create", creator, (0, 0), at=case.created, assignee=creator if self_assign else None)
        case.team_id, owner = creator.team_id, creator
        tl.cur = S.ASSIGNED if self_assign else S.NEW
        ack_gap = (20, 240) if case.channel in ("email", "fax", "web_form", "review") else (1, 10)
        tl.say(creator, "reply", case.pick(s.ack), gap=ack_gap)

        if target == S.NEW:
            tl.say(creator, "note", ["已登记，待班长分派。"], gap=(2, 20))
            return
        if tl.cur == S.NEW and (target == S.ASSIGNED or code not in ("inquiry", "suggestion", "callback")
                                      or rng.random() < 0.5):
            assignee = center.handlers[case.business] if code == "complaint" and rng.random() < 0.85 \
                else self.teammate(case.team_id)
            tl.add("assign", center.leads[case.team_id], (3, 60), assignee=assignee)
            owner, case.team_id, tl.cur = assignee, assignee.team_id, S.ASSIGNED
        if target == S.ASSIGNED:
            return
        self.extras(case, tl)
        team = self.route_team(case)
        if code in ("inquiry", "suggestion") and target == S.CLOSED and team is None and rng.random() < 0.5:
            tl.say(owner, "reply", case.pick(s.result), gap=(2, 15), optional=False)
            tl.go(S.CLOSED, owner, gap=(1, 10), reason="当场答复，客户无其他问题")
            case.done_at = tl.t
            return
        tl.go(S.IN_PROGRESS, owner)
        if team is not None:
            self.dispatched(case, tl, owner, team)
        else:
            wait = S.WAITING_CUSTOMER in self.reachable(code) and rng.random() < s.wait_customer
            if target == S.WAITING_CUSTOMER or (wait and target not in (S.IN_PROGRESS, S.WAITING_OTHER)):
                tl.say(owner, "note", words.WAIT_CUSTOMER_NOTES, gap=(10, 120))
                tl.go(S.WAITING_CUSTOMER, owner, gap=(1, 5))
                if target == S.WAITING_CUSTOMER:
                    return
                tl.say(owner, "customer", words.CUSTOMER_FOLLOW_UPS, gap=(240, 2880))
                tl.go(S.IN_PROGRESS, owner, gap=(5, 60))
            if target == S.WAITING_OTHER:
                other = "计费数据组" if case.business != "shop" else "仓储物流组"
                tl.say(owner, "note", [t.replace("{team}", other) for t in words.WAIT_OTHER_NOTES], gap=(10, 120))
                tl.go(S.WAITING_OTHER, owner, gap=(1, 5), reason=f"已转{other}核实")
                return
            if target == S.IN_PROGRESS:
                tl.say(owner, "note", case.pick(s.notes), gap=(10, 120))
                return
            tl.say(owner, "note", case.pick(s.notes), gap=(10, 240))
            tl.say(owner, "reply", case.pick(s.result) or words.RESOLVE_REPLIES, gap=(10, 240))
            tl.go(S.RESOLVED, owner, gap=(1, 30))
        if tl.cur not in DONE:
            return
        case.done_at = tl.t
        if reopen:
            if S.CALLBACK in self.graphs[code][S.RESOLVED] and rng.random() < 0.5:
                tl.go(S.CALLBACK, owner, gap=(1440, 4320))
            tl.say(owner, "customer", words.REOPEN_CUSTOMER_SAYS, gap=(240, 2880))
            tl.add("reopen", owner, (5, 60), reason=rng.choice(words.REOPEN_REASONS))
            tl.cur = S.IN_PROGRESS
            tl.say(owner, "note", ["已安排二次处理，复查后问题已彻底解决。", "重新核实后已按客户诉求处理完毕。"],
                   gap=(60, 1440), optional=False)
            tl.go(S.RESOLVED, owner, gap=(5, 60))
        if target == S.RESOLVED:
            return
        # Complaints must pass the callback step (TK7); other types get a callback call about half the time.
        callback = S.CALLBACK in self.graphs[code][S.RESOLVED]
        if callback and (S.CLOSED not in self.graphs[code][S.RESOLVED] or target == S.CALLBACK
                         or rng.random() < 0.5):
            # CB2: a callback the owner cannot complete is retried by another agent of the team.
            caller = owner if rng.random() < 0.8 else self.teammate(case.team_id, owner)
            tl.go(S.CALLBACK, caller, gap=(1440, 4320), reason="进入回访")
            if target == S.CALLBACK:
                return
            tl.say(caller, "reply", words.CALLBACK_REPLIES, gap=(5, 240), optional=False)
            tl.go(S.CLOSED, caller, gap=(1, 30), reason="回访满意，结案")
        else:
            tl.say(owner, "note", words.CLOSE_NOTES, gap=(30, 1440))
            tl.go(S.CLOSED, owner, gap=(1, 30))

    def dispatched(self, case: Case, tl: Timeline, owner: User, team: Team) -> None:
        """派单: to a field crew that works on site, or to a back-office team that answers the agent."""
        rng, target, s = self.rng, case.target, case.scenario
        rescue = team.name == "应急抢修队"
        tl.add("dispatch", owner, (1, 5) if rescue else (5, 45), team=team, rescue=rescue,
               note=f"派{team.name}处理：{case.texts['handling'][:60]}")
        if S.WAITING_OTHER in self.graphs[case.scenario.type][tl.cur]:
            tl.cur = S.WAITING_OTHER  # dispatch_ticket moves it there itself when the lifecycle allows
        if target == S.WAITING_OTHER:
            return
        if team.is_field_crew:
            member = rng.choice(self.center.crew_members[team.pk])
            arrival = (15, 45) if rescue else (600, 2880)
            tl.go(S.IN_PROGRESS, member, gap=arrival, reason="维修人员到达现场", hours="field")
            if case.steps[-1].kind == "move":
                case.steps[-1].params["arrival"] = True  # the appointment window is fitted around it
            tl.say(member, "note", case.pick(s.crew_notes), gap=(20, 120), optional=False, hours="field")
            if target == S.IN_PROGRESS:
                return
            if target == S.WAITING_CUSTOMER:
                tl.go(S.WAITING_CUSTOMER, member, gap=(1, 10), reason="上门无人，已与客户另约时间", hours="field")
                return
            tl.go(S.RESOLVED, member, gap=(1, 15), hours="field")
            return
        done = [t.replace("{team}", team.name) for t in words.OTHER_DONE_NOTES]
        tl.say(owner, "note", [f"{d}{n}" for d in done for n in (case.pick(s.crew_notes) or [""])], gap=(120, 2880),
               optional=False)
        tl.go(S.IN_PROGRESS, owner, gap=(1, 10))
        if target == S.IN_PROGRESS:
            return
        if target == S.WAITING_CUSTOMER:
            tl.go(S.WAITING_CUSTOMER, owner, gap=(5, 60))
            return
        tl.say(owner, "reply", case.pick(s.result) or words.RESOLVE_REPLIES, gap=(10, 240))
        tl.go(S.RESOLVED, owner, gap=(1, 30))

    def extras(self, case: Case, tl: Timeline) -> None:
        """Notes by people other than the owner: account manager, management for major events, info desk."""
        rng, center = self.rng, self.center
        if case.is_major:
            tl.say(rng.choice([center.manager, center.director]), "note", words.MAJOR_NOTES, gap=(5, 30),
                   optional=False)
        if case.customer is not None and case.customer.account_manager_id and rng.random() < 0.7:
            manager = next(m for m in center.account_managers if m.pk == case.customer.account_manager_id)
            tl.say(manager, "note", words.AM_NOTES, gap=(10, 120))
        info = center.info_desk[case.business]
        if case.scenario.type == "inquiry" and case.team_id == info.team_id and rng.random() < 0.3:
            tl.say(info, "note", words.INFO_DESK_NOTES, gap=(10, 240))
