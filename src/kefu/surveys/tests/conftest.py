import pytest

from kefu.surveys.services import create_questionnaire
from kefu.surveys.validation import QuestionInput, QuestionnaireInput


def questionnaire_input(**overrides) -> QuestionnaireInput:
    """用户满意度调查表: a CSAT 1–5, an NPS 0–10, a single and a multiple choice and a free text."""
    data = {
        "title": "用户满意度调查表", "title_en": "Customer satisfaction", "ticket_types": [],
        "questions": [
            QuestionInput(text="您对本次服务满意吗？", text_en="How satisfied are you?", kind="scale5",
                          required=True, role="csat"),
            QuestionInput(text="您有多大可能向朋友推荐我们？", text_en="How likely to recommend us?", kind="scale10",
                          role="nps"),
            QuestionInput(text="问题解决了吗？", text_en="Was it solved?", kind="single", required=True,
                          choices=["已解决 | Solved", "未解决 | Not solved"]),
            QuestionInput(text="哪些方面做得好？", text_en="What went well?", kind="multiple",
                          choices=["态度 | Manner", "速度 | Speed", "专业 | Expertise"]),
            QuestionInput(text="其他意见", text_en="Anything else?", kind="text"),
        ],
    }
    data.update(overrides)
    return QuestionnaireInput(**data)


@pytest.fixture
def survey(world):
    return create_questionnaire(actor=world.supervisor, data=questionnaire_input())


def ids(questionnaire) -> list[int]:
    return [q.pk for q in questionnaire.questions.all()]


def good_answers(questionnaire, csat=5, nps=9) -> dict:
    q = ids(questionnaire)
    return {str(q[0]): csat, str(q[1]): nps, str(q[2]): "1", str(q[3]): ["1", "3"], str(q[4]): "很好"}
