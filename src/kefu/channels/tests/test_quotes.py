"""Quoted history cut off replies from the clients Chinese and English customers use."""

import pytest

from kefu.channels.email.quotes import strip_quoted

NEW = "好的，我明天在家。"
CASES = {
    "qq_foxmail": "------------------ 原始邮件 ------------------\n发件人: \"燃气客服\"<kefu@gas.example.com>;\n"
                  "发送时间: 2026年12月5日(星期六) 上午9:30\n收件人: \"王喆\"<wz@qq.com>;\n主题: 回复: 燃气费",
    "outlook_zh": "________________________________\n发件人: 燃气客服 <kefu@gas.example.com>\n"
                  "发送时间: 2026年12月5日 9:30\n收件人: 王喆\n主题: 燃气费",
    "outlook_zh_no_line": "发件人: 燃气客服 <kefu@gas.example.com>\n发送时间: 2026年12月5日 9:30\n收件人: 王喆",
    "outlook_original": "-----原始邮件-----\n发件人: kefu@gas.example.com\n发送时间: 2026年12月5日 9:30",
    "gmail_zh": "燃气客服 <kefu@gas.example.com> 于2026年12月5日周六 09:30写道：\n> 您好",
    "apple_zh": "在 2026年12月5日，09:30，燃气客服 <kefu@gas.example.com> 写道：\n> 您好",
    "netease_163": "在 2026-12-05 09:30:00，\"燃气客服\" <kefu@gas.example.com> 写道：\n>您好",
    "gmail_en": "On Sat, Dec 5, 2026 at 9:30 AM 燃气客服 <kefu@gas.example.com> wrote:\n> Hello",
    "gmail_en_wrapped": "On Sat, Dec 5, 2026 at 9:30 AM Gas Service Center <\nkefu@gas.example.com> wrote:\n> Hello",
    "outlook_en": "From: Gas <kefu@gas.example.com>\nSent: Saturday, December 5, 2026 9:30 AM\nTo: Wang",
    "trailing_quote": "> 您好，请问什么时候方便上门？\n> 燃气客服",
}


@pytest.mark.parametrize("client", sorted(CASES))
def test_quoted_history_is_cut_for(client):
    assert strip_quoted(f"{NEW}\n\n{CASES[client]}") == NEW


def test_a_message_that_is_only_a_quote_is_kept_whole():
    text = CASES["qq_foxmail"]
    assert strip_quoted(text) == text


def test_a_line_merely_mentioning_the_words_is_not_a_quote():
    text = "我在小区里写道路的投诉：\n路灯坏了"
    assert strip_quoted(text) == text
