"""QA deductions assign courses: a scored (or re-scored) evaluation with a deduction on an item that has a
course gives the agent that course — inside the quality event's transaction, through do_assign only."""

from kefu.training.models import AssignmentReason, QaCourse
from kefu.training.services import do_assign

_CODES = ("scored", "appeal_changed")


def on_quality_event(event) -> None:
    """Listener for kefu.quality events."""
    if event.code not in _CODES or event.evaluation_id is None:
        return
    deducted = [code for code, points in (event.params.get("deductions") or {}).items() if points]
    if not deducted:
        return
    for link in QaCourse.objects.filter(item_code__in=deducted).select_related("course"):
        do_assign(course=link.course, agent_id=event.evaluation.agent_id, reason=AssignmentReason.QA,
                  at=event.created_at, evaluation_id=event.evaluation_id)
