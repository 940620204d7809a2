"""Yesterday's QA deductions and exam results for the daily briefing (kefu.briefing.sources)."""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from kefu.quality.models import Evaluation
from kefu.training.models import Attempt


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def yesterday_items(day: date) -> list[tuple[str, str, int]]:
    """(kind, text, count) items for the briefing of `day`: the previous day's deductions and exam results."""
    start, end = _bounds(day - timedelta(days=1))
    deductions: Counter = Counter()
    labels: dict[str, str] = {}
    for evaluation in Evaluation.objects.filter(scored_at__gte=start, scored_at__lt=end).select_related("card"):
        for code in [*evaluation.deductions, *evaluation.fatal]:
            deductions[code] += 1
            item = evaluation.card.item(code)
            labels[code] = item["label"] if item else code
    items = [("defect", gettext("QA deduction: %(item)s") % {"item": labels[code]}, n)
             for code, n in deductions.most_common(5)]
    exams: dict[str, list[int]] = {}
    for title, passed in Attempt.objects.filter(finished_at__gte=start, finished_at__lt=end,
                                                needs_marking=False).values_list("exam__title", "passed"):
        taken = exams.setdefault(title, [0, 0])
        taken[0] += 1
        taken[1] += 1 if passed else 0
    items += [("hot_issue", gettext("Exam %(title)s: %(passed)d of %(taken)d passed")
               % {"title": title, "passed": p, "taken": t}, t) for title, (t, p) in sorted(exams.items())]
    return items
