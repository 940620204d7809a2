"""The center's defaults from the seeds: the default scorecard and the automatic checks' word lists.

Seeds 000 篇4 (十字服务用语 您好、请、谢谢、对不起、再见; 三声服务; 严禁与客户发生争吵), 004 篇9/篇19 (避免说
不行、不知道、不可以; 电话时间控制在3分钟以内, 最长不超过5分钟) and 003 篇二 (the 5W1H complaint record). Installed
by a data migration and by the test world; an administrator changes them afterwards.
"""

DEFAULT_CARD = "通用质检评分表"

# points add up to 100; fatal items carry no points: ticking one zeroes the score.
DEFAULT_ITEMS = [
    {"code": "opening", "category": "服务规范", "category_en": "Service standard", "label": "开场白（问候、报工号）",
     "label_en": "Opening words (greeting, agent number)", "points": 10, "fatal": False},
    {"code": "polite_words", "category": "服务规范", "category_en": "Service standard", "label": "十字服务用语",
     "label_en": "The ten-character service words", "points": 10, "fatal": False},
    {"code": "closing", "category": "服务规范", "category_en": "Service standard", "label": "结束语（送声）",
     "label_en": "Closing words", "points": 10, "fatal": False},
    {"code": "listening", "category": "服务态度", "category_en": "Attitude", "label": "耐心倾听，不打断客户",
     "label_en": "Listening without interrupting", "points": 15, "fatal": False},
    {"code": "no_arguing", "category": "服务态度", "category_en": "Attitude", "label": "情绪控制，不与客户争吵",
     "label_en": "Keeping calm, no arguing", "points": 10, "fatal": False},
    {"code": "accuracy", "category": "业务能力", "category_en": "Knowledge", "label": "答复准确、不推诿",
     "label_en": "Accurate answer, no buck-passing", "points": 20, "fatal": False},
    {"code": "record_5w1h", "category": "业务能力", "category_en": "Knowledge", "label": "工单5W1H记录完整",
     "label_en": "Ticket records 5W1H completely", "points": 15, "fatal": False},
    {"code": "talk_time", "category": "效率", "category_en": "Efficiency", "label": "通话时长控制（不超过5分钟）",
     "label_en": "Talk time under 5 minutes", "points": 10, "fatal": False},
    {"code": "data_leak", "category": "致命项", "category_en": "Fatal", "label": "泄露客户信息",
     "label_en": "Leaked customer data", "points": 0, "fatal": True},
    {"code": "abuse", "category": "致命项", "category_en": "Fatal", "label": "辱骂客户",
     "label_en": "Abused the customer", "points": 0, "fatal": True},
]

DEFAULT_WORDS = {
    "greeting": ["您好", "你好", "欢迎致电", "很高兴为您服务"],
    "closing": ["再见", "感谢您的来电", "感谢您的耐心", "祝您生活愉快", "还有什么可以帮您"],
    "polite": ["您好", "请", "谢谢", "对不起", "再见"],
    "forbidden": ["不行", "不知道", "不可以", "不归我管", "没办法", "我也没办法"],
    "rude": ["神经病", "有病", "闭嘴", "滚", "烦不烦", "你懂不懂"],
    "arguing": ["你听我说", "我已经说过了", "听不懂吗", "跟你说了多少遍", "你这人怎么"],
}


def install_defaults(scorecard_model, version_model, rules_model, *, now) -> None:
    """Create the default scorecard and check rules unless they exist (historical models welcome)."""
    if not scorecard_model.objects.filter(name=DEFAULT_CARD).exists():
        card = scorecard_model.objects.create(name=DEFAULT_CARD)
        current = version_model.objects.create(scorecard=card, number=1, items=DEFAULT_ITEMS, created_at=now)
        scorecard_model.objects.filter(pk=card.pk).update(current=current)
    if not rules_model.objects.exists():
        rules_model.objects.create(**DEFAULT_WORDS)
