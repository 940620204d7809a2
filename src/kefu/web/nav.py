"""The main navigation, one entry per screen, each shown to the roles that work in it.

Another app adds its screen by appending a NavItem here; the order of the list is the order of the menu.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_MANAGE_KNOWLEDGE, NO_CUSTOMER_DATA
from kefu.packs import is_enabled


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    allowed: Callable[[object], bool]
    key: str = ""  # an access key (Alt+key) for the keyboard-only agent
    pack: str = ""  # an industry pack's code: the entry is hidden while that pack is switched off


def _reads_reports(user) -> bool:
    from kefu.reports.access import can_view_reports

    return can_view_reports(user)


def _inspects(user) -> bool:
    from kefu.quality.access import can_inspect

    return can_inspect(user)


def _scored(user) -> bool:
    from kefu.quality.access import is_scored

    return is_scored(user)


def _handles(user) -> bool:
    return user.can_take_calls()


def _decides(user) -> bool:
    return user.can_decide_referrals()


NAV: list[NavItem] = [
    NavItem("tickets:mine", _("My tickets"), _handles, "m"),
    NavItem("tickets:team", _("Team queue"), _handles, "q"),
    NavItem("tickets:all", _("All tickets"), lambda u: not u.works_in_field() and u.role not in NO_CUSTOMER_DATA),
    NavItem("tickets:new", _("New ticket"), _handles, "n"),
    NavItem("callbacks:queue", _("Callbacks"), _handles, "h"),
    NavItem("customers:list", _("Customers"), lambda u: not u.works_in_field() and u.role not in NO_CUSTOMER_DATA,
            "c"),
    NavItem("tickets:board", _("Queue board"), lambda u: u.can_supervise()),
    NavItem("tickets:field", _("Field work"), lambda u: u.works_in_field()),
    NavItem("tickets:referrals", _("Referrals to decide"), _decides),
    NavItem("knowledge:list", _("Knowledge base"), lambda u: not u.works_in_field(), "k"),
    NavItem("memos:mine", _("My memos"), _handles),
    NavItem("memos:inbox", _("Memo inbox"), lambda u: u.role in CAN_MANAGE_KNOWLEDGE),
    NavItem("briefing:list", _("Daily briefing"), lambda u: not u.works_in_field(), "b"),
    NavItem("search:search", _("Search"), lambda u: True, "s"),
    NavItem("surveys:manage", _("Surveys"), lambda u: u.can_supervise()),
    NavItem("campaigns:index", _("Campaigns"), lambda u: u.can_supervise()),
    NavItem("campaigns:mine", _("My calls"), _handles),
    NavItem("reports:callbacks", _("Callback report"), _reads_reports),
    NavItem("chat:desk", _("Chat desk"), _handles, "t"),
    NavItem("chat:live", _("Live chats"), lambda u: u.can_supervise()),
    NavItem("channels:setup", _("Channels"), lambda u: u.can_administer()),
    NavItem("channels:leads", _("Lead customers"), _handles),
    NavItem("channels:partners", _("Partner cases"), _handles),
    NavItem("workforce:plan", _("Staffing and rosters"), lambda u: u.can_supervise()),
    NavItem("workforce:mine", _("My roster"), _handles),
    NavItem("packs:settings", _("Industry packs"), lambda u: u.can_administer()),
    NavItem("audit:log", _("Audit log"), lambda u: u.can_read_audit()),
    NavItem("web:security", _("Account security"), lambda u: u.can_manage_security()),
    NavItem("provision:setup", _("Center setup"), lambda u: u.can_administer()),
    NavItem("quality:queue", _("Inspection queue"), _inspects),
    NavItem("quality:evaluations", _("Quality evaluations"), _scored),
    NavItem("kpi:overview", _("KPIs"), _reads_reports),
    NavItem("kpi:stars", _("Star board"), _scored),
    NavItem("training:mine", _("Training and exams"), _scored),
    NavItem("attendance:mine", _("My attendance"), _handles),
    NavItem("attendance:requests", _("Swaps and leave"), _handles),
    NavItem("attendance:team", _("Attendance sheet"), lambda u: u.can_supervise()),
    NavItem("attendance:board", _("Adherence board"), lambda u: u.can_supervise()),
    NavItem("attendance:approvals", _("Swaps and leave to decide"), lambda u: u.can_supervise()),
    NavItem("shiftlog:handover", _("Shift handover"), _handles),
    NavItem("shiftlog:logs", _("Work and duty logs"), lambda u: _handles(u) or u.can_supervise()),
]


def nav_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV:
        if not item.allowed(user) or (item.pack and not is_enabled(item.pack)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
        items.append({"url": url, "label": item.label, "key": item.key,
                      "active": request.path == url})
    return items


def screen_pop_url(request) -> str:
    """Where an agent's page polls for ringing calls (CH1); empty for roles that do not take calls."""
    user = request.user
    if not user.is_authenticated or not _handles(user):
        return ""
    try:
        return reverse("cti:pop")
    except NoReverseMatch:
        return ""


def context(request) -> dict:
    """Template context processor: the menu and the screen-pop poll for the signed-in user."""
    if getattr(request, "login_step", None):  # a login not finished yet (kefu.web.gate): no menu, no polling
        return {"nav_items": [], "screen_pop_url": ""}
    return {"nav_items": nav_for(request), "screen_pop_url": screen_pop_url(request)}
