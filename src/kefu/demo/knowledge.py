"""Demo content for the knowledge base, scripts, memos and the daily briefing, made through their services."""

from datetime import datetime, timedelta

from django.utils import timezone

from kefu.briefing.services import add_item, mark_read, prepare_briefing, publish_briefing
from kefu.knowledge.models import Category
from kefu.knowledge.services import ArticleInput, create_article, review_article, submit_for_review
from kefu.memos.services import answer_memo, ask_memo, carry_over_unanswered
from kefu.phrases.services import PhraseInput, create_phrase
from kefu.tickets.models import Ticket

CATEGORIES = ["缴费与账单", "报修与安全用气", "订单与售后", "账号与充值"]

# (category, title, summary, body, tags, audience, is_faq)
ARTICLES = [
    ("缴费与账单", "燃气费怎么交", "微信、支付宝、银行代扣或营业厅均可缴费",
     "可以通过以下渠道缴纳燃气费：\n\n- 微信公众号「城市燃气」→ 缴费\n- 支付宝生活缴费\n- 银行代扣（需到营业厅签约）\n"
     "- 各营业厅柜台\n\n缴费后约 **10 分钟** 到账，IC 卡表需到营业厅或自助机写卡。",
     ["缴费", "燃气费"], "public", True),
    ("缴费与账单", "阶梯气价说明", "居民用气按年度累计用量分三档计价",
     "# 阶梯气价\n\n1. 第一档：年用气量 0–350 立方米\n2. 第二档：351–500 立方米\n3. 第三档：500 立方米以上\n\n"
     "人口超过 5 人的家庭可到营业厅申请增加基数。", ["气价", "阶梯"], "public", True),
    ("报修与安全用气", "闻到燃气味怎么办", "立即关阀、开窗、离开，到室外拨打抢修电话",
     "1. 立即关闭燃气表前阀门\n2. 打开门窗通风\n3. **不要**开关电器、不要使用明火和手机\n4. 到室外拨打抢修电话\n\n"
     "坐席受理时按 **抢修** 工单类型登记，系统会短信通知值班人员。", ["泄漏", "抢修", "安全"], "public", True),
    ("报修与安全用气", "燃气表计量异常的受理要点", "先核对表号和读数，再派维修队上门校验",
     "受理计量异常时：\n\n- 核对客户表号（如 M-0001）与档案一致\n- 请客户报当前读数并拍照\n- 登记 **报修** 工单，"
     "故障现象选「计量异常」\n- 预约上门时间后派单给维修队\n\n校表结果三个工作日内回访告知客户。",
     ["气表", "计量"], "internal", False),
    ("订单与售后", "退换货流程", "签收 7 天内可无理由退货，15 天内质量问题可换货",
     "- 7 天无理由退货：商品完好、配件齐全\n- 15 天质量问题换货：需提供照片或检测报告\n- 退款原路返回，"
     "3–5 个工作日到账\n\n受理时登记 **售后** 工单并填写订单号。", ["退货", "换货", "售后"], "public", True),
    ("订单与售后", "串货与非授权渠道的答复口径", "敏感问题：只按批准话术答复",
     "客户询问非授权渠道商品、串货或额外折扣时，使用话术库中的 **敏感问题话术**，不得自行承诺。\n\n"
     "必要时向信息席发备忘录。", ["串货", "敏感问题"], "internal", False),
    ("账号与充值", "游戏充值未到账", "核对订单号与角色 ID，30 分钟未到账可补单",
     "1. 请玩家提供充值订单号和角色 ID\n2. 在后台核对支付状态\n3. 已支付但 30 分钟未到账：登记工单申请补单\n\n"
     "补单一般 24 小时内完成。", ["充值", "补单"], "public", False),
]

TEAM_PHRASES = [
    ("报修：请报表号", "standard", "请您提供燃气表上的表号，我帮您核对一下，谢谢。", "repair"),
    ("报修：预约上门", "standard", "维修师傅会在预约时间内上门，上门前会先电话联系您，请保持电话畅通。", "repair"),
    ("投诉：致歉受理", "opening",
     "{customer_name}您好，非常抱歉给您带来不便，您的投诉已受理，工单号{ticket_no}。", "complaint"),
]


def load_demo(center, *, now: datetime | None = None) -> dict:
    """Categories, articles (published through review), team phrases, memos and today's briefing."""
    now = now or timezone.now()
    desk, gas_desk = center.info_desk["shop"], center.info_desk["gas"]
    reviewer = center.supervisor
    categories = {name: Category.objects.get_or_create(name=name, defaults={"position": i})[0]
                  for i, name in enumerate(CATEGORIES)}
    published = 0
    for i, (category, title, summary, body, tags, audience, is_faq) in enumerate(ARTICLES):
        author = gas_desk if i < 4 else desk
        at = now - timedelta(days=20 - i)
        article = create_article(actor=author, now=at, data=ArticleInput(
            title=title, summary=summary, body=body, category_id=categories[category].pk, tags=tags,
            audience=audience, is_faq=is_faq))
        article = submit_for_review(actor=author, article_id=article.pk, version=article.version, now=at)
        review_article(actor=reviewer, article_id=article.pk, version=article.version, approve=True,
                       now=at + timedelta(hours=2))
        published += 1
    # One draft waiting for review, so the review queue is not empty.
    draft = create_article(actor=gas_desk, now=now - timedelta(hours=3), data=ArticleInput(
        title="冬季用气安全提示（草稿）", body="供暖季请定期检查软管，发现老化及时更换。", tags=["安全"],
        category_id=categories["报修与安全用气"].pk, audience="public"))
    submit_for_review(actor=gas_desk, article_id=draft.pk, version=draft.version, now=now - timedelta(hours=3))

    gas_team = center.team_of("gas", 0)
    types = {"repair": "repair", "complaint": "complaint"}
    for title, kind, body, ticket_type in TEAM_PHRASES:
        create_phrase(actor=center.leads[gas_team.pk], now=now - timedelta(days=10), data=PhraseInput(
            title=title, kind=kind, body=body, team_id=gas_team.pk, ticket_type=types[ticket_type]))

    agent = center.agents["gas"][0]
    tickets = list(Ticket.objects.visible_to(agent).filter(is_open=True).order_by("-created_at")[:2])
    asked_at = now - timedelta(days=1, hours=5)
    answered = ask_memo(actor=agent, ticket_id=tickets[0].pk if tickets else None, now=asked_at,
                        question="客户问停气期间的燃气费是否减免？")
    answer_memo(actor=gas_desk, memo_id=answered.pk, version=answered.version, now=asked_at + timedelta(minutes=40),
                answer="计划停气按实际用量计费，不另行减免；如超过 48 小时，可登记建议工单由营业部评估补偿。")
    ask_memo(actor=agent, ticket_id=tickets[-1].pk if tickets else None, now=asked_at + timedelta(hours=2),
             question="城东片区管道改造何时结束？客户需要准确日期。")
    carry_over_unanswered(now=now - timedelta(days=1))

    briefing = prepare_briefing(actor=gas_desk, day=timezone.localdate(now), now=now - timedelta(hours=2))
    add_item(actor=gas_desk, briefing_id=briefing.pk, kind="process_change",
             text="本周城东片区管道改造，相关停气咨询统一答复：周五 18:00 前恢复供气。")
    add_item(actor=gas_desk, briefing_id=briefing.pk, kind="defect", text="昨日 2 张报修工单漏填表号，请受理时核对。")
    briefing.refresh_from_db()
    briefing = publish_briefing(actor=gas_desk, briefing_id=briefing.pk, version=briefing.version,
                                now=now - timedelta(hours=1))
    readers = center.agents["gas"][:3]
    for reader in readers:
        mark_read(actor=reader, briefing_id=briefing.pk, now=now - timedelta(minutes=30))
    return {"articles": published + 1, "phrases": len(TEAM_PHRASES), "memos": 2, "briefings": 1,
            "briefing_reads": len(readers)}
