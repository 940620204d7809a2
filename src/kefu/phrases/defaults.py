"""The center-wide phrases every new center starts with: the 十字服务用语 (您好、请、谢谢、对不起、再见),
opening and closing words (三声服务: 来有迎声, 问有答声, 走有送声) and sensitive-question scripts (TK9)."""

DEFAULT_PHRASES = [
    # (kind, title, body, position)
    ("opening", "开场白", "您好，{agent_no}号客服代表很高兴为您服务，请问有什么可以帮您？", 10),
    ("opening", "开场白（回访）",
     "您好，请问是{customer_name}吗？我是{agent_no}号客服代表，想占用您两分钟做个回访，谢谢。", 20),
    ("standard", "请稍等", "请您稍等，我马上为您查询。", 10),
    ("standard", "谢谢等待", "谢谢您的耐心等待。", 20),
    ("standard", "致歉", "对不起，给您带来不便，我们会尽快为您处理。", 30),
    ("standard", "告知工单号", "您的工单号是{ticket_no}，请您记录，以便查询处理进度。", 40),
    ("standard", "请重复", "对不起，刚才没有听清楚，请您再说一遍好吗？", 50),
    ("closing", "结束语", "请问还有其他可以帮您的吗？感谢您的来电，再见！", 10),
    ("closing", "结束语（已受理）", "您反映的问题已受理，工单号{ticket_no}，我们会尽快处理并回复您。谢谢，再见！", 20),
    ("sensitive", "折扣与优惠", "优惠和折扣以公司统一公布的政策为准，我无法另行承诺，请您谅解，谢谢。", 10),
    ("sensitive", "串货与渠道", "对不起，非授权渠道的商品我们无法确认来源，建议您通过官方渠道购买，谢谢您的理解。", 20),
]


def install_default_phrases(Phrase) -> int:
    """Add the default phrases that do not exist yet (by title); returns how many were added."""
    have = set(Phrase.objects.filter(team__isnull=True).values_list("title", flat=True))
    new = [Phrase(kind=kind, title=title, body=body, position=position)
           for kind, title, body, position in DEFAULT_PHRASES if title not in have]
    Phrase.objects.bulk_create(new)
    return len(new)
