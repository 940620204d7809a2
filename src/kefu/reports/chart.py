"""A monthly bar chart drawn on the server as SVG geometry (no JavaScript, nothing from a CDN)."""

from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 720, 220
TOP, BOTTOM, LEFT = 12, 36, 40  # room for the axis labels
SERIES = [
    ("completion", _("Callback completion rate"), "completion_rate", "#2f6fb3"),
    ("acceptance", _("Acceptance rate"), "acceptance_rate", "#3a9a5b"),
    ("csat", _("CSAT"), "csat_rate", "#d08a1f"),
]


def _bar(month: str, series: tuple, figures, x: float, width: float) -> dict:
    key, label, attribute, color = series
    rate = getattr(figures, attribute)
    plot = HEIGHT - TOP - BOTTOM
    height = round((rate or 0) * plot, 1)
    return {"key": key, "x": round(x, 1), "y": round(HEIGHT - BOTTOM - height, 1), "width": round(width, 1),
            "height": height, "missing": rate is None,
            "color": color, "text_y": round(HEIGHT - BOTTOM - height - 3, 1),
            "title": f"{month} {label}: {'—' if rate is None else f'{rate * 100:.1f}%'}"}


def month_chart(rows) -> dict:
    """Bars of completion, acceptance and CSAT (4–5) per month, as rectangles in a WIDTH×HEIGHT box."""
    rows = [r for r in rows if r.key is not None]
    slot = (WIDTH - LEFT) / max(len(rows), 1)
    bar = min(slot * 0.8 / len(SERIES), 28)
    groups = []
    for index, row in enumerate(rows):
        start = LEFT + index * slot + (slot - bar * len(SERIES)) / 2
        groups.append({"label": row.label, "label_x": round(LEFT + (index + 0.5) * slot, 1),
                       "bars": [_bar(row.label, series, row.figures, start + i * bar, bar * 0.9)
                                for i, series in enumerate(SERIES)]})
    plot = HEIGHT - TOP - BOTTOM
    grid = [{"y": round(HEIGHT - BOTTOM - plot * p / 100, 1), "label": f"{p}%"} for p in (0, 50, 100)]
    legend = [{"key": key, "label": label, "color": color} for key, label, _attr, color in SERIES]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "label_y": HEIGHT - BOTTOM + 16, "groups": groups,
            "grid": grid, "legend": legend, "axis_x": LEFT - 4}
