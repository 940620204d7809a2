"""The outbound callback script (呼出电话程序, seed 003 主动回访), filled in for one ticket and one agent.

The six steps are the seed's: verify identity → company, department and 工号 → convenient? → the result →
clear? → closing words. Names come from the ticket, the agent and KEFU_CENTER_NAME, never typed by hand."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass
class Step:
    key: str
    title: str
    say: str


def _customer(ticket) -> str:
    name = ticket.customer.name if ticket.customer_id and ticket.customer else ticket.reporter_name
    return name or _("the customer")


def _result(ticket) -> str:
    """What we tell the customer: the recorded handling (how, 5W1H), else the last reply to them."""
    if ticket.handling:
        return ticket.handling
    reply = ticket.messages.filter(kind="reply").order_by("-created_at").values_list("body", flat=True).first()
    return reply or _("(no handling recorded on the ticket — read it before calling)")


def script_for(ticket, agent) -> list[Step]:
    department = ticket.team.department.name if ticket.team_id and ticket.team else ""
    values = {"customer": _customer(ticket), "company": settings.KEFU_CENTER_NAME, "department": department,
              "agent_no": (agent.agent_no if agent else "") or "—",
              "date": date_format(timezone.localtime(ticket.created_at), "SHORT_DATE_FORMAT"),
              "title": ticket.title, "result": _result(ticket)}
    return [
        Step("identity", _("Verify the customer's identity"), _("Hello, is this %(customer)s?") % values),
        Step("introduce", _("Say company, department and agent number"),
             _("This is %(company)s %(department)s, my agent number is %(agent_no)s.") % values),
        Step("convenient", _("Ask whether it is convenient"), _("Is it convenient for you to talk now?")),
        Step("result", _("Give the result"),
             _("On %(date)s you told us about “%(title)s”. We have followed it up: %(result)s") % values),
        Step("clear", _("Ask whether it is clear"), _("Is everything about this clear to you now?")),
        Step("closing", _("Closing words"),
             _("If anything comes up, call our service center any time; my agent number is %(agent_no)s. "
               "Goodbye!") % values),
    ]
