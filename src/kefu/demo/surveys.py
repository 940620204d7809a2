"""The demo center's 用户满意度调查表 (seed 003's attachment), and the answers customers give on callbacks."""

import random

from kefu.surveys.services import create_questionnaire
from kefu.surveys.validation import QuestionInput, QuestionnaireInput

# Mostly content customers, a tail of unhappy ones: what a utility's callback survey typically shows.
CSAT_WEIGHTS = {5: 45, 4: 33, 3: 12, 2: 6, 1: 4}
NPS_BY_CSAT = {5: (8, 10), 4: (6, 9), 3: (4, 8), 2: (1, 5), 1: (0, 3)}
TAKEN = 0.7  # share of reached customers who agree to answer


def build_questionnaire(now):
    return create_questionnaire(actor=None, now=now, data=QuestionnaireInput(
        title="用户满意度调查表", title_en="Customer satisfaction survey",
        intro="耽误您一分钟，请对本次服务打分。", intro_en="One minute of your time: please rate our service.",
        questions=[
            QuestionInput(text="您对本次服务总体满意吗？", text_en="Overall, how satisfied are you with the service?",
                          kind="scale5", required=True, role="csat"),
            QuestionInput(text="您有多大可能向亲友推荐我们的服务？", text_en="How likely are you to recommend us?",
                          kind="scale10", role="nps"),
            QuestionInput(text="您反映的问题解决了吗？", text_en="Was your problem solved?", kind="single",
                          required=True, choices=["已解决 | Solved", "部分解决 | Partly", "未解决 | Not solved"]),
            QuestionInput(text="哪些方面让您满意？", text_en="What did we do well?", kind="multiple",
                          choices=["接听及时 | Quick answer", "态度热情 | Friendly", "处理迅速 | Fast",
                                   "上门准时 | On time"]),
            QuestionInput(text="您还有什么意见或建议？", text_en="Anything else?", kind="text"),
        ]))


def answers(questionnaire, rng: random.Random) -> dict | None:
    """One customer's answers, or None when they decline the survey."""
    if rng.random() > TAKEN:
        return None
    q = list(questionnaire.questions.all())
    csat = rng.choices(list(CSAT_WEIGHTS), weights=list(CSAT_WEIGHTS.values()))[0]
    low, high = NPS_BY_CSAT[csat]
    solved = "1" if csat >= 4 else rng.choice(["2", "3"])
    liked = sorted(rng.sample(["1", "2", "3", "4"], k=rng.randint(0, 2))) if csat >= 3 else []
    return {str(q[0].pk): csat, str(q[1].pk): rng.randint(low, high), str(q[2].pk): solved, str(q[3].pk): liked,
            str(q[4].pk): ""}
