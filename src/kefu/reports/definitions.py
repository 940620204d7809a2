"""The definitions written beside every figure, in the UI (translated) and in the API description (zh and en)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFINITIONS = [
    ("completion", _("Callback completion rate"),
     _("Callback cases in which the customer was reached (accepted, not accepted or new need, on any attempt) "
       "÷ callback cases counted. A case starts when a resolved ticket gets its first callback task; it is "
       "counted in the period, team and type of that first task's due time, once it has ended (reached, or "
       "closed as unreachable with the team lead's approval) or that due time has passed — an open case not "
       "yet due is not counted (shown as pending), nor is a case cancelled because the ticket was reopened or "
       "closed another way. By agent: who reached the customer; until then, who made or holds the latest "
       "attempt.")),
    ("on_time", _("On-time rate"),
     _("Callbacks that reached the customer and were made before their task was due ÷ callbacks that reached "
       "the customer, counted in the month they were made. By agent: who made the call.")),
    ("acceptance", _("Acceptance rate"),
     _("Callbacks in which the customer accepted the result ÷ callbacks that reached the customer (accepted, "
       "not accepted, new need), counted in the month they were made; a case retried after “not accepted” "
       "counts each call.")),
    ("csat", _("CSAT"),
     _("Survey answers scoring 4 or 5 of 5 ÷ answers with a CSAT score, with the mean score beside it; "
       "counted in the month answered. By agent: the agent who handled the ticket.")),
    ("nps", _("NPS"),
     _("Share of promoters (9–10) minus share of detractors (0–6) among answers with an NPS score, from −100 "
       "to 100; passives (7–8) count only in the total. Counted in the month answered.")),
]

NOTE = _("Each rate shows its numerator/denominator; “—” where nothing was counted. Months and dates are in "
         "the center's time zone (%(tz)s); team and type are the ticket's current ones. The figures are "
         "computed from ticket events and can be recomputed with “kefu reports rebuild”.")


def definitions() -> list[dict]:
    """The definitions in the active language, for templates."""
    return [{"key": key, "label": label, "text": text} for key, label, text in DEFINITIONS]


def api_description() -> str:
    """Markdown for the OpenAPI document: every definition in English, then in Chinese."""
    from django.conf import settings

    parts = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            parts.extend(f"- **{label}**: {text}" for _key, label, text in DEFINITIONS)
            parts.append(str(NOTE) % {"tz": settings.TIME_ZONE})
            parts.append("")
    return "\n".join(parts).strip()
