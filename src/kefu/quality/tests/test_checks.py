"""The automatic checks on transcripts: service words, forbidden words and timing."""

from datetime import datetime

from kefu.quality.checks import Checker, Limits
from kefu.quality.contacts import ContactData, Line
from kefu.quality.defaults import DEFAULT_WORDS

CHECKER = Checker(DEFAULT_WORDS, Limits())
AT = datetime(2026, 11, 1)


def contact(lines, channel="chat", **kw):
    return ContactData(source="t", ref="1", agent_id=1, started_at=AT, channel=channel,
                       lines=[Line(speaker=s, offset=o, text=t) for s, o, t in lines], **kw)


def test_a_polite_conversation_passes_every_check():
    result = CHECKER.check(contact([("customer", 0, "你好"), ("agent", 10, "您好，请问有什么可以帮您？"),
                                    ("agent", 30, "谢谢，对不起让您久等，再见")]))
    assert result["greeting"] and result["closing"]
    assert result["polite"] == sorted(["您好", "请", "谢谢", "对不起", "再见"]) and result["polite_missing"] == []
    assert result["first_reply"] == 10 and result["failed"] == []


def test_forbidden_rude_and_arguing_words_are_found_only_in_the_agents_lines():
    result = CHECKER.check(contact([("customer", 0, "你有病吧，不知道"), ("agent", 5, "您好，这个不知道，你听我说"),
                                    ("agent", 9, "闭嘴，再见")]))
    assert result["forbidden"] == ["不知道"] and result["rude"] == ["闭嘴"] and result["arguing"] == ["你听我说"]
    assert set(result["failed"]) == {"forbidden", "rude", "arguing"}


def test_missing_greeting_and_closing_and_a_slow_first_reply_fail():
    result = CHECKER.check(contact([("customer", 0, "在吗"), ("agent", 95, "稍等")]))
    assert {"no_greeting", "no_closing", "slow_first_reply"} <= set(result["failed"])
    assert result["first_reply"] == 95


def test_calls_over_five_minutes_long_holds_and_silences_fail():
    result = CHECKER.check(contact([("agent", 0, "您好"), ("customer", 5, "我家没气了"), ("agent", 50, "再见")],
                                   channel="phone", talk_seconds=301, hold_seconds=61))
    assert {"long_talk", "long_hold", "long_silence"} <= set(result["failed"])
    assert result["silences"] == 1
    ok = CHECKER.check(contact([("agent", 0, "您好"), ("agent", 20, "再见")], channel="phone", talk_seconds=300,
                               hold_seconds=60))
    assert ok["failed"] == []
