"""The safe markdown subset: every typed character is escaped; only our own tags come out."""

from kefu.knowledge.markup import plain_excerpt, render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    '[x](https://a.example/" onmouseover="alert(1))',
    "<a href='javascript:alert(1)'>x</a>",
    "**<svg onload=alert(1)>**",
    "`<iframe src=//evil>`",
]


def test_injected_markup_comes_out_escaped():
    for attack in ATTACKS:
        html = render_markdown(attack)
        for bad in ("<script", "<img", "<svg", "<iframe", 'href="javascript', 'onerror="', 'onmouseover="',
                    "<a href='"):
            assert bad not in html, (attack, html)


def test_supported_marks_render():
    html = render_markdown("# 标题\n\n可以通过**微信**缴费，见 [官网](https://gas.example/pay?a=1&b=2)。\n\n"
                           "- 一\n- 二\n\n1. 甲")
    assert "<h3>标题</h3>" in html
    assert "<strong>微信</strong>" in html
    assert '<a href="https://gas.example/pay?a=1&amp;b=2" rel="noopener nofollow" target="_blank">官网</a>' in html
    assert "<ul><li>一</li><li>二</li></ul>" in html and "<ol><li>甲</li></ol>" in html


def test_excerpt_drops_marks():
    assert plain_excerpt("# 标题\n**粗体** [链接](https://x.example)") == "标题 粗体 链接"
