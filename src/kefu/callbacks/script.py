"""The outbound callback script (呼出电话程序, seed 003 主动回访), filled in for one ticket and one agent.

The six steps are the seed's: verify identity → company, department and 工号 → convenient? → the result →
clear? → closing words. Names come from the ticket, the agent and KEFU_CENTER_NAME, never typed by hand."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ComplaintRecord, EventCode


@dataclass
class Step:
    key: str
    title: str
    say: str
    # Where the words come from, for the step that reads out a recorded result (the agent must know whose
    # words they are repeating: the crew's, the resolver's, the complaint findings').
    source: str = ""


@dataclass
class Result:
    text: str
    source: str
    at: object = None  # datetime of the record, None for the fallbacks


def _customer(ticket) -> str:
    name = ticket.customer.name if ticket.customer_id and ticket.customer else ticket.reporter_name
    return name or _("the customer")


def latest_result(ticket, events=None) -> Result:
    """What we tell the customer: the latest handling result on record, and where it came from.

    The results are the crew's (field work done), the resolution note (the reason given when the ticket was
    resolved) and the complaint's recorded 处理结果; the latest of them wins, since a later one corrects or
    completes an earlier one. `ticket.handling` is the plan typed when the ticket was opened (a promise such as
    "安排维修人员上门"), so it is only the last resort, and says so. `events`, if given, are the ticket's events
    (already loaded for the history) and save a query."""
    if events is None:
        events = ticket.events.filter(code__in=[EventCode.FIELD_COMPLETED, EventCode.STATUS_CHANGED])
    found: list[tuple] = []
    for e in events:
        p = e.params or {}
        if e.code == EventCode.FIELD_COMPLETED and p.get("result"):
            found.append((e.created_at, e.pk, Result(p["result"], _("the field crew's result"), e.created_at)))
        elif e.code == EventCode.STATUS_CHANGED and p.get("to") == Status.RESOLVED and p.get("reason"):
            found.append((e.created_at, e.pk, Result(p["reason"], _("the resolution note"), e.created_at)))
    record = ComplaintRecord.objects.filter(ticket_id=ticket.pk).exclude(result="").first()
    if record is not None:
        # After the events at the same instant: the findings are recorded once the work is done.
        found.append((record.recorded_at, float("inf"),
                      Result(record.result, _("the complaint's recorded result"), record.recorded_at)))
    if found:
        return max(found, key=lambda f: (f[0], f[1]))[2]
    reply = ticket.messages.filter(kind="reply").order_by("-created_at", "-id").first()
    if reply is not None:
        return Result(reply.body, _("the last reply to the customer (no handling result recorded)"),
                      reply.created_at)
    if ticket.handling:
        return Result(ticket.handling, _("the plan recorded when the ticket was opened (no result recorded)"))
    return Result(_("(no handling recorded on the ticket — read it before calling)"), "")


def script_for(ticket, agent, events=None) -> list[Step]:
    result = latest_result(ticket, events)
    department = ticket.team.department.name if ticket.team_id and ticket.team else ""
    values = {"customer": _customer(ticket), "company": settings.KEFU_CENTER_NAME, "department": department,
              "agent_no": (agent.agent_no if agent else "") or "—",
              "date": date_format(timezone.localtime(ticket.created_at), "SHORT_DATE_FORMAT"),
              "title": ticket.title, "result": result.text}
    return [
        Step("identity", _("Verify the customer's identity"), _("Hello, is this %(customer)s?") % values),
        Step("introduce", _("Say company, department and agent number"),
             _("This is %(company)s %(department)s, my agent number is %(agent_no)s.") % values),
        Step("convenient", _("Ask whether it is convenient"), _("Is it convenient for you to talk now?")),
        Step("result", _("Give the result"),
             _("On %(date)s you told us about “%(title)s”. We have followed it up: %(result)s") % values,
             source=result.source),
        Step("clear", _("Ask whether it is clear"), _("Is everything about this clear to you now?")),
        Step("closing", _("Closing words"),
             _("If anything comes up, call our service center any time; my agent number is %(agent_no)s. "
               "Goodbye!") % values),
    ]
