"""What each demo ticket is about (business, scenario, customer, texts), decided before any time is chosen.

Content is drawn from its own random stream, so the same seed gives the same tickets whatever the hour.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from kefu.accounts.models import User
from kefu.demo import game, gas, shop
from kefu.demo.center import GAME, GAS, SHOP, Center
from kefu.demo.customers import DemoCustomer
from kefu.demo.people import People
from kefu.demo.scenarios import CHANNELS, FIRST_WORDS, PARTNERS, Ctx, Scenario, when_words
from kefu.tickets.lifecycle import Channel, Priority
from kefu.tickets.models import TicketField, TicketType

SCENARIOS = {GAS: gas.SCENARIOS, SHOP: shop.SCENARIOS, GAME: game.SCENARIOS}
SHARE = {GAS: 45, SHOP: 30, GAME: 25}
EAST = {"姑苏区", "工业园区", "相城区"}  # served by 城东维修组; the rest by 城西维修组


@dataclass
class Case:
    """One ticket to be: what it says and who opens it; the flow pass adds when and what happens next."""

    key: int
    business: str
    scenario: Scenario
    customer: DemoCustomer | None
    channel: str
    priority: int
    creator: User
    ctx: Ctx
    is_major: bool = False
    variant: int = 0  # which variant of the scenario's texts this case tells
    role: str = "base"  # base, victim (merged into `other`), parent, child (of `other`)
    other: int | None = None
    origin: int | None = None  # for a callback (回访) ticket: the earlier ticket it calls back about
    cluster: int | None = None
    texts: dict = field(default_factory=dict)  # title, description, cause, handling (filled)
    custom: dict = field(default_factory=dict)  # field key → value or template (late placeholders)
    # Set by the flow pass:
    created: datetime | None = None
    target: str = ""
    steps: list = field(default_factory=list)
    input: dict = field(default_factory=dict)  # the TicketInput fields, late placeholders still in the texts
    team_id: int | None = None
    done_at: datetime | None = None

    def pick(self, texts: list[str]) -> list[str]:
        """The texts of the scenario that fit this case's variant."""
        return self.scenario.variant(texts, self.variant)


class CaseMaker:
    """Draws cases from the content stream."""

    def __init__(self, rng: random.Random, people: People, center: Center, customers: list[DemoCustomer],
                 types: dict[str, TicketType]):
        """Remember the streams and the customers of each business (a customer may be in two)."""
        self.rng, self.people, self.center, self.types = rng, people, center, types
        self.by_business = {b: [c for c in customers if b in c.businesses] for b in SCENARIOS}

    def base(self, key: int) -> Case:
        """An ordinary ticket of a random business and scenario."""
        rng = self.rng
        business = rng.choices(list(SHARE), weights=list(SHARE.values()))[0]
        scenario = _weighted(rng, SCENARIOS[business])
        return self.make(key, business, scenario)

    def make(self, key: int, business: str, scenario: Scenario, *, channel: str | None = None,
             customer: DemoCustomer | None | bool = True) -> Case:
        """A case of the given scenario; `customer=True` picks one from the archive (or none if anonymous)."""
        rng = self.rng
        if customer is True:
            pool = self.by_business[business]
            customer = rng.choice(pool) if pool and rng.random() >= scenario.anonymous else None
        channel = channel or _weighted_key(rng, scenario.channels or CHANNELS[business])
        priority = _weighted_key(rng, scenario.priority)
        creator = self.creator(business, channel)
        ctx = self.context(business, customer, channel, creator)
        case = Case(key, business, scenario, customer or None, channel, priority, creator, ctx)
        case.is_major = scenario.type == "emergency" and priority == Priority.URGENT and rng.random() < 0.08
        self.write(case)
        return case

    def write(self, case: Case) -> None:
        """Fill title, 5W1H texts and custom fields from the scenario; late placeholders stay for later."""
        rng, s, ctx = self.rng, case.scenario, case.ctx
        case.variant = rng.randrange(len(s.desc))
        case.texts = {name: rng.choice(case.pick(options)).format_map(ctx) for name, options in
                      (("title", s.titles), ("description", s.desc), ("cause", s.cause), ("handling", s.handling))}
        case.custom = {}
        for definition in self.types[s.type].fields.all():
            value = self.custom_value(case, definition)
            if value not in (None, ""):
                case.custom[definition.key] = value

    def custom_value(self, case: Case, definition: TicketField):
        """A value for one custom field: the scenario's own, checked against the field's definition."""
        rng = self.rng
        wanted = case.scenario.custom.get(definition.key)
        if isinstance(wanted, list):
            wanted = case.pick(wanted)
        if definition.kind == TicketField.Kind.CHOICE:
            options = [v for v in (wanted or []) if v in definition.choices] or definition.choices
            if not wanted and not definition.required and rng.random() < 0.5:
                return None
            return rng.choice(options)
        if definition.kind == TicketField.Kind.DATE:
            # Only channels that set their own deadline (12345, 消保委, partners) fill a date.
            return "{deadline}" if case.channel in DEADLINE_CHANNELS else None
        if definition.kind == TicketField.Kind.BOOLEAN:
            return rng.random() < 0.5
        if definition.kind == TicketField.Kind.NUMBER:
            return rng.randint(1, 10)
        if isinstance(wanted, list):
            wanted = rng.choice(wanted)
        if isinstance(wanted, str):
            return wanted.format_map(case.ctx)
        return f"{definition.label}：{case.texts['title'][:20]}" if definition.required else None

    def creator(self, business: str, channel: str) -> User:
        """The agent who takes the contact: shop reviews land in the review team, the rest anywhere."""
        agents = self.center.agents[business]
        if channel in (Channel.REVIEW, Channel.CONSUMER_ASSOCIATION):
            team = self.center.team_of(SHOP, 1)
            agents = [a for a in agents if a.team_id == team.pk]
        return self.rng.choice(agents)

    def context(self, business: str, customer: DemoCustomer | None, channel: str, creator: User) -> Ctx:
        """Everything a template may mention, consistent with the customer's archive."""
        rng, people = self.rng, self.people
        if business == GAS:  # the utility's customers live in its city; a caller from elsewhere has no address here
            place = customer.address if customer and not customer.address.get("city") else people.suzhou_address()
        else:
            place = customer.address if customer else people.other_address()
        caller = customer.caller if customer else _anonymous_caller(people)
        first = FIRST_WORDS[channel]
        if channel == Channel.PARTNER:
            first = f"经{rng.choice(PARTNERS[business])}转来"
        ctx = Ctx(place)
        ctx.update(caller=caller, name=customer.name if customer else caller, first=first, when=when_words(rng),
                   agent_no=creator.agent_no, days=rng.randint(2, 6), hours=rng.randint(2, 6),
                   phone=customer.mobile if customer else people.mobile())
        ctx["crew"] = "城东维修组" if place.get("district") in EAST else "城西维修组"
        if business == GAS:
            meter = _ref(customer, "meter") or f"M-{rng.randint(10**5, 10**6 - 1)}"
            account = _ref(customer, "account") or f"21{rng.randint(10**7, 10**8 - 1)}"
            reading = rng.randint(300, 6000)
            ctx.update(meter=meter, account=account, reading=reading, reading2=reading + rng.randint(5, 80),
                       gas_qty=rng.choice([10, 20, 30, 50, 100, 150]), amount=f"{rng.uniform(60, 680):.2f}",
                       month=rng.choice(["本月", "上月"]))
        elif business == SHOP:
            order = _ref(customer, "order") or f"{rng.randint(10**18, 10**19 - 1)}"
            note = customer.ref_notes.get(("order", order), "") if customer else ""
            product = note.split(" · ")[-1] if " · " in note else rng.choice(shop.PRODUCTS)[0]
            price = dict(shop.PRODUCTS).get(product, 199)
            courier, prefix = rng.choice(shop.COURIERS)
            ctx.update(order=order, product=product, price=price, refund=max(10, round(price * rng.uniform(0.05, 0.3))),
                       courier=courier, tracking=f"{prefix}{rng.randint(10**11, 10**12 - 1)}",
                       date=rng.choice(["上周三", "3 天前", "上周末", "本月初", "大促当天", "前天"]),
                       company=people.org_name(["{c}{w}科技有限公司", "{c}{w}贸易有限公司"], "杭州"),
                       shop=shop.SHOP_NAME)
        else:
            uid = _ref(customer, "player") or f"{rng.randint(10**9, 10**10 - 1)}"
            note = customer.ref_notes.get(("player", uid), "") if customer else ""
            server = note.split(" · ")[-1] if " · " in note else rng.choice(game.SERVERS)
            platform, device = rng.choice(game.PLATFORMS)
            pack, price = rng.choice(game.PACKS)
            role = rng.choice(game.ROLE_HEADS) + rng.choice(game.ROLE_TAILS)
            ctx.update(uid=uid, server=server, platform=platform, device=device, pack=pack, amount=price,
                       amount2=price * 2, role=role, version=rng.choice(game.VERSIONS), quest=rng.choice(game.QUESTS),
                       pay_order=f"42000{rng.randint(10**22, 10**23 - 1)}", game=game.GAME)
            if customer is not None and customer.tier != "group":
                ctx["caller"] = role  # players are known by their character's name
        return ctx

DEADLINE_CHANNELS = {Channel.HOTLINE_12345, Channel.CONSUMER_ASSOCIATION, Channel.PARTNER}


def reporter(case: Case) -> str:
    """Who reported it (the W of who): the caller, and for a player also the real name on file."""
    if case.business == GAME and case.customer is not None and case.ctx["caller"] != case.customer.caller:
        return f"{case.customer.name}（角色 {case.ctx['caller']}）"
    return case.ctx["caller"]


def location(case: Case) -> str:
    """Where it happened (the W of where): the gas address, the delivery address, or the game server."""
    if case.scenario.where:
        return case.pick(case.scenario.where)[0].format_map(case.ctx)
    if case.business == GAME:
        return f"{game.GAME} {case.ctx['server']}"
    if case.business == SHOP and case.scenario.type not in ("after_sales", "complaint"):
        return ""
    return case.ctx["addr"]


def _ref(customer: DemoCustomer | None, kind: str) -> str | None:
    """The customer's first reference of a kind (meter, order, player id), if any."""
    if customer is None or not customer.refs.get(kind):
        return None
    return customer.refs[kind][0]


def _anonymous_caller(people: People) -> str:
    """A caller who is not in the archive, written the way agents write them: 王先生."""
    name, _pinyin, male = people.person()
    return name[0] + ("先生" if male else "女士")


def _weighted(rng: random.Random, scenarios: list[Scenario]) -> Scenario:
    """A scenario chosen by its weight."""
    return rng.choices(scenarios, weights=[s.weight for s in scenarios])[0]


def _weighted_key(rng: random.Random, weights: dict):
    """A key of `weights` chosen by its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def draw_cases(maker: CaseMaker, count: int) -> list[Case]:
    """All cases of the demo: ordinary ones, duplicates to merge, and outage clusters (parent + children).

    Every ticket type, channel and priority occurs at least once, however small the demo.
    """
    rng = maker.rng
    merges = max(1, count // 300) if count >= 40 else 0
    clusters = max(1, count // 1000) if count >= 40 else 0
    children = min(8, max(2, count // 40))
    base_count = count - merges - clusters * (1 + children)
    cases = [maker.base(key) for key in range(base_count)]
    _cover(maker, cases)
    key = base_count
    for _ in range(merges):
        survivor = rng.choice([c for c in cases if c.role == "base" and c.scenario.type in DUPLICABLE
                               and c.customer is not None and not c.other])
        channel = rng.choice([ch for ch in CHANNELS[survivor.business] if ch != survivor.channel])
        victim = maker.make(key, survivor.business, survivor.scenario, channel=channel, customer=survivor.customer)
        victim.role, victim.other, survivor.other = "victim", survivor.key, key
        cases.append(victim)
        key += 1
    for n in range(clusters):
        business = (GAS, GAME)[n % 2]
        module = gas if business == GAS else game
        parent = maker.make(key, business, module.OUTAGE_PARENT, customer=None)
        parent.role, parent.cluster, parent.is_major = "parent", n, True
        cases.append(parent)
        key += 1
        for _ in range(children):
            child = maker.make(key, business, _weighted(rng, module.OUTAGE_CHILDREN))
            # The children speak of the parent's broken main (its road) or its server, from their own homes.
            for name in ("road", "server"):
                if name in parent.ctx:
                    child.ctx[name] = parent.ctx[name]
            maker.write(child)
            child.role, child.other, child.cluster = "child", parent.key, n
            cases.append(child)
            key += 1
    return cases


# Types whose cases live long enough for a second contact about the same thing to be merged in.
DUPLICABLE = {"repair", "complaint", "after_sales", "bug", "survey"}


def _cover(maker: CaseMaker, cases: list[Case]) -> None:
    """Rewrite a few cases so every type, channel and priority appears at least once."""
    rng = maker.rng
    pinned: set[int] = set()

    def free() -> Case:
        """A case that may be rewritten: not pinned, and neither its type nor its channel would disappear."""
        types = Counter(c.scenario.type for c in cases)
        channels = Counter(c.channel for c in cases)
        return rng.choice([c for c in cases if c.key not in pinned and types[c.scenario.type] > 1
                           and channels[c.channel] > 1])

    options = [(b, s) for b, scenarios in SCENARIOS.items() for s in scenarios]
    for code in maker.types:
        if not any(c.scenario.type == code for c in cases):
            business, scenario = rng.choice([(b, s) for b, s in options if s.type == code])
            old = free()
            cases[cases.index(old)] = case = maker.make(old.key, business, scenario)
            pinned.add(case.key)
    for channel in Channel.values:
        if not any(c.channel == channel for c in cases):
            fitting = [(b, s) for b, s in options if channel in (s.channels or CHANNELS[b])]
            business, scenario = rng.choice(fitting)
            old = free()
            cases[cases.index(old)] = case = maker.make(old.key, business, scenario, channel=channel)
            pinned.add(case.key)
    for priority in Priority.values:
        if not any(c.priority == priority for c in cases):
            case = free()
            case.priority = priority
            pinned.add(case.key)
