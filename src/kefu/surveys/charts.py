"""Bar charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 26
LABEL_WIDTH = 150
BAR_WIDTH = 300
VALUE_WIDTH = 70


def bar_chart(rows: list[tuple[str, float]], *, title: str = "", suffix: str = "",
              max_value: float | None = None) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value (or `max_value`)."""
    top = max_value if max_value else max((value for _label, value in rows), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW * max(len(rows), 1) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (label, value) in enumerate(rows):
        y = index * ROW + 2
        bar = 0 if not value else max(1, round(BAR_WIDTH * min(value, top) / top))
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{bar}" height="{ROW - 10}" rx="2" fill="#2f6fde">'
            f"<title>{escape(label)}: {escape(shown)}{escape(suffix)}</title></rect>"
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 16}" font-size="13">{escape(shown)}{escape(suffix)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text inside was escaped above
