"""The relevance set: queries over the demo's scenarios with the scenarios a good answer lists first.

The demo's data is random, so the corpus here is made from the same scenario texts deterministically: one
ticket per scenario variant (title, 5W1H, the first answer and the result as replies, a note), with fixed
context values and a per-ticket order number. `evaluate` reports precision@5 per query; the test checks it
and `kefu bench search` reports it.
"""

from dataclasses import dataclass

from kefu.demo import game, gas, shop
from kefu.demo.scenarios import Ctx

# (query, relevant scenario codes). Chinese words of one to four characters, English words, phrases, numbers.
QUERIES: list[tuple[str, set[str]]] = [
    ("阶梯气价", {"gas_bill_high"}),
    ("账单 偏高", {"gas_bill_high"}),
    ("银行代扣", {"gas_pay_how"}),
    ("支付宝", {"gas_pay_how"}),
    ("估抄", {"gas_meter_read", "gas_complaint_bill", "gas_bill_high"}),
    ("自报读数", {"gas_meter_read"}),
    ("过户", {"gas_transfer"}),
    ("停气", {"gas_outage_notice", "gas_no_supply", "gas_outage", "gas_outage_call", "gas_outage_question"}),
    ("IC卡", {"gas_ic_card"}),
    ("阀关", {"gas_ic_card"}),
    ("燃气灶", {"gas_stove"}),
    ("壁挂炉", {"gas_stove", "gas_boiler_leak"}),
    ("热水器 熄火", {"gas_stove"}),
    ("异响", {"gas_meter_noise"}),
    ("漏水", {"gas_boiler_leak"}),
    ("燃气味", {"gas_leak"}),
    ("泄漏", {"gas_leak", "gas_outage"}),
    ("超时未上门", {"gas_complaint_late"}),
    ("态度差", {"gas_complaint_late"}),
    ("重复扣款", {"gas_complaint_bill", "game_double_charge"}),
    ("通气", {"gas_transfer", "gas_complaint_install"}),
    ("勘察", {"gas_survey"}),
    ("私接", {"gas_audit"}),
    ("绕表", {"gas_audit"}),
    ("气表", {"gas_meter_read", "gas_meter_noise", "gas_ic_card", "gas_bill_high", "gas_audit"}),
    ("挖断", {"gas_outage"}),
    ("七天无理由", {"shop_return"}),
    ("退货退款", {"shop_return", "shop_consumer_assoc"}),
    ("换货", {"shop_exchange"}),
    ("保修", {"shop_repair"}),
    ("增值税专用发票", {"shop_invoice"}),
    ("发票抬头", {"shop_invoice"}),
    ("已签收", {"shop_logistics"}),
    ("少件", {"shop_logistics"}),
    ("中差评", {"shop_bad_review", "shop_callback"}),
    ("消保委", {"shop_consumer_assoc"}),
    ("赠品", {"shop_complaint_agent"}),
    ("敷衍", {"shop_complaint_agent"}),
    ("以旧换新", {"shop_product_question"}),
    ("价保", {"shop_price"}),
    ("优惠券", {"shop_price"}),
    ("实拍视频", {"shop_suggestion"}),
    ("闪退", {"game_crash"}),
    ("crash", {"game_crash"}),
    ("白屏", {"game_topup_page"}),
    ("top-up", {"game_topup_page", "game_topup_missing"}),
    ("主线任务", {"game_quest"}),
    ("overlap", {"game_ui"}),
    ("掉线", {"game_disconnect", "game_outage", "game_outage_rollback"}),
    ("dungeon", {"game_disconnect"}),
    ("账号被盗", {"game_stolen"}),
    ("hacked", {"game_stolen"}),
    ("防沉迷", {"game_realname"}),
    ("实名认证", {"game_realname"}),
    ("换绑", {"game_rebind"}),
    ("验证码", {"game_rebind"}),
    ("未到账", {"game_topup_missing"}),
    ("外挂", {"game_ban_appeal"}),
    ("误封", {"game_ban_appeal"}),
    ("跨服组队", {"game_suggestion"}),
    ('"server down"', {"game_outage"}),
    ("connection failed", {"game_outage_login"}),
    ("回档", {"game_outage", "game_outage_rollback"}),
    ("blank page", {"game_topup_page"}),
    ('"not received"', {"game_topup_missing"}),
    ("launch", {"game_crash"}),
]


def scenarios():
    return [*gas.SCENARIOS, gas.OUTAGE_PARENT, *gas.OUTAGE_CHILDREN, *shop.SCENARIOS, *game.SCENARIOS,
            game.OUTAGE_PARENT, *game.OUTAGE_CHILDREN]


def context(n: int) -> Ctx:
    """Fixed words for every placeholder; numbers differ per ticket so a number finds one ticket."""
    return Ctx(
        caller="张先生", first="来电", order=f"SO2026{n:06d}", uid=f"8800{n:04d}", product="扫地机器人 X7",
        server="华东一区·青龙", community="翠苑小区", road="文一路", addr="翠苑小区 3 幢 2 单元 501",
        meter=f"M2023{n:05d}", account=f"33012{n:05d}", amount="268", version="3.2.1", courier="顺丰速运",
        tracking=f"SF88{n:08d}", house="12", window="明天 9:00-12:00", pack="月卡", district="西湖区",
        when="今天早上", ticket=f"GD{n:08d}", refund="199", platform="Android", agent_no="1024",
        device="Redmi K70", team="维修组", reading="1234", quest="星落之城", price="329", bldg="3", unit="2",
        pay_order=f"PAY2026{n:06d}", original="399", gas_qty="50", game="《星河传说》", days="7",
        date="11 月 20 日", shop="优品家居旗舰店", month="10 月", role="青衫客", reading2="1300", name="张伟",
        deadline="明天", crew="城东维修组", company="顺丰速运", amount2="100", month_count="3",
    )


@dataclass
class CorpusTicket:
    scenario: str
    ticket_id: int


def _custom(scenario, ctx: Ctx) -> dict:
    """The scenario's custom field values where it gives them, the first valid value where a field requires one."""
    from kefu.tickets.models import TicketField, TicketType

    values = {}
    for definition in TicketType.objects.get(code=scenario.type).fields.all():
        wanted = scenario.custom.get(definition.key)
        if definition.kind == TicketField.Kind.CHOICE:
            options = [v for v in (wanted if isinstance(wanted, list) else [wanted]) if v in definition.choices]
            value = options[0] if options else (definition.choices[0] if definition.required else None)
        elif definition.kind == TicketField.Kind.TEXT:
            wanted = wanted[0] if isinstance(wanted, list) else wanted
            value = wanted.format_map(ctx) if wanted else (definition.label if definition.required else None)
        elif definition.required:
            value = {TicketField.Kind.NUMBER: 1, TicketField.Kind.DATE: "2026-11-30",
                     TicketField.Kind.BOOLEAN: False}[definition.kind]
        else:
            value = None
        if value is not None:
            values[definition.key] = value
    return values


def build_corpus() -> list[CorpusTicket]:
    """One ticket per scenario variant, created through the services (so indexing runs as in production)."""
    from kefu.tickets.services import TicketInput, add_message, create_ticket

    made: list[CorpusTicket] = []
    for scenario in scenarios():
        for i in range(max(len(scenario.desc), len(scenario.titles))):
            ctx = context(len(made) + 1)

            def pick(texts, i=i, scenario=scenario, ctx=ctx):
                chosen = scenario.variant(texts, min(i, len(scenario.desc) - 1))
                return chosen[0].format_map(ctx) if chosen else ""

            title = scenario.titles[min(i, len(scenario.titles) - 1)].format_map(ctx)
            ticket = create_ticket(actor=None, data=TicketInput(
                type=scenario.type, title=title[:200], description=pick(scenario.desc), cause=pick(scenario.cause),
                handling=pick(scenario.handling), custom=_custom(scenario, ctx)))
            for kind, texts in (("reply", scenario.ack), ("reply", scenario.result), ("note", scenario.notes)):
                body = pick(texts)
                if body:
                    add_message(actor=None, ticket_id=ticket.pk, kind=kind, body=body)
            made.append(CorpusTicket(scenario.code, ticket.pk))
    from kefu.search.pending import drain

    drain()  # what the worker does a second after those commits
    return made


@dataclass
class QueryResult:
    query: str
    relevant: set[str]
    top: list[str]  # scenario codes of the first five hits
    precision: float  # relevant hits among the first five shown / hits shown (at most 5); 0 when nothing is found


def evaluate(user, corpus: list[CorpusTicket]) -> list[QueryResult]:
    from kefu.search.selectors import search

    scenario_of = {c.ticket_id: c.scenario for c in corpus}
    results = []
    for query, relevant in QUERIES:
        hits = search(user, query, kinds=["ticket"], page_size=5).hits
        top = [scenario_of.get(h.object_id, "?") for h in hits]
        # Relevance is judged per scenario, but a query often names what only one variant of a scenario says,
        # so precision is taken over the hits shown rather than over a recall the corpus cannot offer.
        good = sum(1 for code in top if code in relevant)
        results.append(QueryResult(query, relevant, top, good / len(top) if top else 0.0))
    return results
