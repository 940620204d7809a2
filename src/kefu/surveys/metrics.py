"""CSAT and NPS, and a questionnaire's results: counts per choice and scale point, per agent."""

from collections import defaultdict

from django.db.models import Count, Q

from kefu.accounts.models import User
from kefu.surveys.models import Answer, Question, QuestionKind, Questionnaire, Response

PROMOTER, DETRACTOR_MAX = 9, 6
SATISFIED = 4


def csat_percent(scores: list[int]) -> float | None:
    """CSAT %: the share of 1–5 answers that are 4 or 5, rounded to one decimal; None without answers."""
    if not scores:
        return None
    return round(100 * sum(1 for s in scores if s >= SATISFIED) / len(scores), 1)


def csat_mean(scores: list[int]) -> float | None:
    """The mean 1–5 score, two decimals; None without answers."""
    return round(sum(scores) / len(scores), 2) if scores else None


def nps(scores: list[int]) -> float | None:
    """Net promoter score: % promoters (9–10) minus % detractors (0–6), −100 … 100; None without answers."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= PROMOTER)
    detractors = sum(1 for s in scores if s <= DETRACTOR_MAX)
    return round(100 * (promoters - detractors) / len(scores), 1)


def _expand(counts: dict[int, int]) -> list[int]:
    return [value for value, n in counts.items() for _i in range(n)]


def _score_counts(responses, column: str) -> dict[int, int]:
    rows = responses.filter(**{f"{column}__isnull": False}).values(column).annotate(n=Count("id"))
    return {row[column]: row["n"] for row in rows}


def _per_agent(responses) -> list[dict]:
    rows = list(responses.values("agent_id").annotate(
        n=Count("id"),
        csat_n=Count("id", filter=Q(csat__isnull=False)), csat_ok=Count("id", filter=Q(csat__gte=SATISFIED)),
        nps_n=Count("id", filter=Q(nps__isnull=False)), promoters=Count("id", filter=Q(nps__gte=PROMOTER)),
        detractors=Count("id", filter=Q(nps__lte=DETRACTOR_MAX))).order_by("agent_id"))
    names = {u.pk: u.label for u in User.objects.filter(pk__in=[r["agent_id"] for r in rows if r["agent_id"]])}
    return [{"agent_id": r["agent_id"], "agent": names.get(r["agent_id"], "—"), "responses": r["n"],
             "csat": round(100 * r["csat_ok"] / r["csat_n"], 1) if r["csat_n"] else None,
             "nps": round(100 * (r["promoters"] - r["detractors"]) / r["nps_n"], 1) if r["nps_n"] else None}
            for r in rows]


def _question_result(q: Question, counts: dict, texts: list[str]) -> dict:
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        rows = [{"key": key, "label": label, "count": counts.get((q.pk, key), 0)}
                for key, label in q.labelled_choices()]
    elif q.scale is not None:
        rows = [{"key": str(n), "label": str(n), "count": counts.get((q.pk, n), 0)} for n in q.scale]
    else:
        rows = []
    result = {"id": q.pk, "label": q.label, "kind": q.kind, "role": q.role, "counts": rows, "texts": texts}
    if q.scale is not None:
        scores = _expand({int(r["key"]): r["count"] for r in rows})
        result["mean"] = csat_mean(scores)
    return result


def results(questionnaire: Questionnaire, *, texts_per_question: int = 20) -> dict:
    """Everything the results screen and API show, in a fixed number of queries."""
    responses = Response.objects.filter(questionnaire_id=questionnaire.pk)
    questions = list(questionnaire.questions.all())
    counts: dict = {}
    for row in (Answer.objects.filter(question__questionnaire_id=questionnaire.pk)
                .values("question_id", "choice", "number").annotate(n=Count("id"))):
        key = row["number"] if row["number"] is not None else row["choice"]
        counts[(row["question_id"], key)] = row["n"]
    texts: dict[int, list[str]] = defaultdict(list)
    text_ids = [q.pk for q in questions if q.kind == QuestionKind.TEXT]
    if text_ids:
        for qid, text in (Answer.objects.filter(question_id__in=text_ids).exclude(text="")
                          .order_by("-id").values_list("question_id", "text")[:texts_per_question * len(text_ids)]):
            if len(texts[qid]) < texts_per_question:
                texts[qid].append(text)
    csat_scores = _expand(_score_counts(responses, "csat"))
    nps_scores = _expand(_score_counts(responses, "nps"))
    return {
        "questionnaire": questionnaire.pk, "responses": responses.count(),
        "csat": {"answers": len(csat_scores), "percent": csat_percent(csat_scores), "mean": csat_mean(csat_scores)},
        "nps": {"answers": len(nps_scores), "score": nps(nps_scores),
                "promoters": sum(1 for s in nps_scores if s >= PROMOTER),
                "detractors": sum(1 for s in nps_scores if s <= DETRACTOR_MAX)},
        "questions": [_question_result(q, counts, texts.get(q.pk, [])) for q in questions],
        "agents": _per_agent(responses),
    }
