"""What a demo ticket is about: scenarios per business, and the words every ticket shares (callbacks, reopens)."""

import random
from dataclasses import dataclass, field

from kefu.tickets.lifecycle import Channel, Priority

P = Priority


@dataclass(frozen=True)
class Scenario:
    """One kind of call the center gets, with the texts an agent would record for it.

    Every text is a template; `{caller}`, `{addr}`, `{meter}`, `{order}` … come from the ticket's context and
    `{ticket}` is the ticket number, filled in once the ticket exists. A scenario may describe variants of
    its problem: every list as long as `desc` is read in step with it (variant i of the title goes with
    variant i of the description, cause, replies …); shorter lists hold words that fit every variant.
    """

    code: str
    type: str
    weight: int
    titles: list[str]
    desc: list[str]
    cause: list[str]
    handling: list[str]
    ack: list[str]  # the first answer to the customer, right after the contact
    result: list[str]  # what the customer is told when it is solved
    notes: list[str]
    custom: dict = field(default_factory=dict)  # field key → template or list of choices
    channels: dict | None = None  # overrides the business's channel mix
    priority: dict = field(default_factory=lambda: {P.LOW: 10, P.NORMAL: 70, P.HIGH: 17, P.URGENT: 3})
    route: str | None = None  # team to dispatch to; "crew" picks the district's repair crew
    crew_notes: list[str] = field(default_factory=list)  # what the dispatched team reports back
    anonymous: float = 0.1  # share of callers who are not in the customer archive
    occurred: tuple[int, int] = (30, 2880)  # minutes between the event and the call
    wait_customer: float = 0.15  # chance the ticket waits on the customer on its way
    where: list[str] = field(default_factory=list)  # where it happened, if not the caller's address

    def variant(self, texts: list[str], index: int) -> list[str]:
        """The texts that fit variant `index`: its own one when `texts` runs in step with `desc`, else all."""
        if len(self.desc) > 1 and len(texts) == len(self.desc):
            return [texts[index]]
        return texts


CHANNELS = {
    "gas": {Channel.PHONE: 62, Channel.HOTLINE_12345: 8, Channel.WECHAT: 10, Channel.WALK_IN: 7,
            Channel.WEB_FORM: 4, Channel.EMAIL: 2, Channel.FAX: 2, Channel.PARTNER: 3, Channel.CHAT: 2},
    "shop": {Channel.CHAT: 46, Channel.PHONE: 18, Channel.WECHAT: 10, Channel.EMAIL: 6, Channel.QQ: 3,
             Channel.WEB_FORM: 6, Channel.PARTNER: 3},
    "game": {Channel.QQ: 22, Channel.CHAT: 24, Channel.WEB_FORM: 16, Channel.PHONE: 10, Channel.WECHAT: 14,
             Channel.EMAIL: 9, Channel.PARTNER: 5},
}
# Who passed the case on, for the partner channel of each business.
PARTNERS = {"gas": ["物业服务中心", "社区居委会", "燃气具厂家售后"], "shop": ["天猫平台客服", "京东平台客服"],
            "game": ["应用商店渠道方", "华为游戏中心", "TapTap 渠道"]}

FIRST_WORDS = {
    "phone": "来电", "chat": "在线咨询", "wechat": "微信留言", "qq": "QQ 留言", "email": "来邮", "fax": "来函",
    "walk_in": "到营业厅", "web_form": "在线留言", "partner": "经合作方转来", "12345": "经 12345 热线转办",
    "consumer_assoc": "经消保委转办", "review": "在店铺评价中",
}

WAIT_CUSTOMER_NOTES = [
    "已电话联系{caller}，客户暂不方便，约定明天再联系确认细节。",
    "需客户补充材料（照片/凭证），已发短信告知，等待客户回复。",
    "客户电话未接通，已发短信请客户回电，工单挂起等待客户。",
]
CUSTOMER_FOLLOW_UPS = [
    "客户回电补充说明了情况，并发来了照片。", "客户回复：材料已经补齐，麻烦尽快处理。",
    "客户来电催办，询问处理进度。", "客户在微信上留言：请问现在处理到哪一步了？",
]
WAIT_OTHER_NOTES = [
    "已转{team}核实，等待对方回复结果。", "已提交{team}处理，要求 24 小时内反馈。",
]
OTHER_DONE_NOTES = [
    "{team}已反馈处理结果，与系统记录一致，准备答复客户。", "{team}回复：已处理完毕，附处理记录。",
]
CALLBACK_REPLIES = [
    "回访：已致电{caller}，客户确认问题已解决，对处理结果表示满意。",
    "回访：客户表示处理及时，服务态度好，满意。",
    "回访：客户对处理结果基本满意，建议今后提前电话告知上门时间。",
    "回访：客户确认已收到处理结果，无其他诉求，同意结案。",
]
CLOSE_NOTES = ["已电话确认客户无其他问题，结案。", "客户确认无其他问题，结案。", "处理完毕，资料已归档。"]
RESOLVE_REPLIES = [
    "您好，您反映的问题已处理完毕（工单 {ticket}），如仍有疑问请致电客服热线，我们将再次为您处理。",
    "已电话告知{caller}处理结果，客户表示认可。",
]
REOPEN_REASONS = [
    "客户回电反映问题再次出现，需重新处理。", "回访时客户表示问题未彻底解决，重新开单处理。",
    "客户对处理结果不认可，要求重新核实。",
]
REOPEN_CUSTOMER_SAYS = [
    "你们上次说已经处理好了，可是今天又出现同样的问题。", "问题没有解决，请再安排人看一下。",
    "不认可这个处理结果，希望重新核实。",
]
RECEIPT_RESULTS = ["已电话确认客户收到回复，内容清楚。", "客户电话确认已收到，无其他疑问。",
                   "已致电客户确认收到，客户表示会按说明办理。"]
MERGE_NOTES = ["与客户此前来电为同一事项，合并处理。", "客户通过其他渠道重复反映，合并至原工单。"]
MAJOR_NOTES = [
    "经理批示：列为重要事件，各部门优先保障，每小时通报一次进展。",
    "总监已知悉，要求做好客户解释与安抚，处理完毕后出具事件报告。",
]
AM_NOTES = [
    "客户经理已致电客户负责人说明处理安排，客户表示理解。",
    "重点客户，客户经理全程跟进，走绿色通道优先处理。",
]
INFO_DESK_NOTES = [
    "信息席：该问题答复口径已收录知识库，坐席可直接引用标准话术。",
    "信息席：已核对最新政策文件，答复口径无误。",
]


class Ctx(dict):
    """Template values; a placeholder nobody filled stays visible instead of raising KeyError."""

    def __missing__(self, key):
        """Leave `{key}` in place: late values (ticket number, window) are filled in when the step runs."""
        return "{" + key + "}"


def fill(rng: random.Random, templates: list[str], ctx: Ctx) -> str:
    """One template out of `templates`, filled from the context."""
    return rng.choice(templates).format_map(ctx) if templates else ""


def when_words(rng: random.Random) -> str:
    """When the caller says it started."""
    return rng.choice(["今天早上", "昨天晚上", "今天中午", "前天", "这两天", "刚才"])
