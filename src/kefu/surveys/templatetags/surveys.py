"""{% survey_rows questionnaire survey_values field_errors as rows %}: the take partial's fields, ready to draw."""

from django import template

register = template.Library()


def _selected(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


@register.simple_tag
def survey_rows(questionnaire, values=None, errors=None) -> list[dict]:
    """One dict per question: the question, its field name, its choices or scale points marked as chosen,
    the free text given, and its error (field `answers.<id>`)."""
    values = values or {}
    errors = errors or {}
    rows = []
    for q in questionnaire.questions.all():
        # Values come back either by question id (the answers dict) or by field name (a re-posted form).
        value = values.get(str(q.pk), values.get(q.field_name)) if hasattr(values, "get") else None
        if hasattr(values, "getlist") and q.field_name in values:
            value = values.getlist(q.field_name)
        chosen = _selected(value)
        points = [str(n) for n in q.scale] if q.scale is not None else []
        rows.append({
            "q": q, "name": q.field_name, "label": q.label, "kind": q.kind, "required": q.required,
            "choices": [(key, label, key in chosen) for key, label in q.labelled_choices()],
            "points": [(p, p in chosen) for p in points],
            "text": value[0] if isinstance(value, list) and value else (value if isinstance(value, str) else ""),
            "error": errors.get(f"answers.{q.pk}", ""),
        })
    return rows
