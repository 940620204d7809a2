"""How the enterprise pack plugs into the core: registration, ticket hooks, menu entries, panels."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.enterprise import PACK


def _managers(user) -> bool:
    return user.role in CAN_SUPERVISE or user.role == Role.ACCOUNT_MANAGER


def install() -> None:
    """Register the pack, the ticket hooks, menu entries and the customer panel (from EnterpriseConfig.ready)."""
    from kefu.customers import panels as customer_panels
    from kefu.enterprise.panel import customer_panel
    from kefu.enterprise.routing import on_ticket_event
    from kefu.packs import gated
    from kefu.packs.registry import Pack, register
    from kefu.tickets.events import listen
    from kefu.web.nav import NAV, NavItem

    register(Pack(code=PACK, name="集团客户", name_en="Enterprise customers",
                  description="分级分层、客户经理名单制、故障绿色通道、重保值守与工时、定期巡检。",
                  description_en="Grading, named account managers, the fault green channel, major-event "
                                 "assurance with rosters and hours, scheduled site inspections.",
                  demo=_demo))
    listen("enterprise", on_ticket_event, codes=["created"])
    customer_panels.register("enterprise/customer_panel.html", gated(PACK, customer_panel))
    if not any(item.pack == PACK for item in NAV):
        NAV.append(NavItem("enterprise:index", _("Enterprise customers"), _managers, pack=PACK))


def _demo(**kwargs) -> dict:
    from kefu.enterprise.demo import load_demo

    return load_demo(**kwargs)
