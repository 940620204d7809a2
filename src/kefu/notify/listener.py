"""In-app notices of ticket events that need a person's attention: notify listens to tickets (it sits above
them), so the ticket services record what happened and never call notify themselves."""

from django.utils.translation import gettext as _

from kefu.notify.services import queue_notification
from kefu.tickets.models import EventCode, ManagerReferral

CODES = (EventCode.FIELD_COMPLETED, EventCode.REFERRED_TO_MANAGER, EventCode.MANAGER_DECIDED)


def _tell(recipient, ticket, kind: str, subject: str, body: str, at) -> None:
    queue_notification(recipient=recipient, channel="in_app", kind=kind, ticket=ticket, subject=subject,
                       body=body, params={"ticket": ticket.pk}, now=at)


def on_ticket_event(ticket, event) -> None:
    at, params = event.created_at, event.params
    if event.code == EventCode.FIELD_COMPLETED:
        # The agent who owns the ticket resolves it and calls the customer back.
        if ticket.assignee_id:
            _tell(ticket.assignee, ticket, "field_done",
                  _("%(number)s: field work done") % {"number": ticket.number},
                  _("The crew finished «%(title)s»: %(result)s. Please call the customer back.")
                  % {"title": ticket.title, "result": (params.get("result") or "")[:200]}, at)
        return
    referral = ManagerReferral.objects.select_related("manager", "asked_by").filter(pk=params.get("referral")).first()
    if referral is None:
        return
    if event.code == EventCode.REFERRED_TO_MANAGER:
        _tell(referral.manager, ticket, "manager_referral",
              _("%(number)s waits for your decision") % {"number": ticket.number}, referral.question[:300], at)
    elif referral.asked_by_id:
        _tell(referral.asked_by, ticket, "manager_decided",
              _("%(number)s: the manager has decided") % {"number": ticket.number}, referral.decision[:300], at)
