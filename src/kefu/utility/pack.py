"""How the utility pack plugs into the core: its registration, menu entries and ticket-page panel."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.utility import PACK

DEFAULT_TARGETS = {"commercial": 1000, "residential": 980, "indoor": 700}
DEFAULT_LIFESPANS = {"diaphragm": 10, "ic_card": 10, "remote": 10, "industrial": 6}


def _on_enable(*, actor, now) -> None:
    """Seed the administrator-editable defaults (read-rate targets, meter lifespans) once; never overwrite."""
    from kefu.utility.models import MeterLifespan, ReadTarget

    for read_class, permille in DEFAULT_TARGETS.items():
        ReadTarget.objects.get_or_create(read_class=read_class, defaults={"target_permille": permille})
    for kind, years in DEFAULT_LIFESPANS.items():
        MeterLifespan.objects.get_or_create(kind=kind, defaults={"years": years})


def _demo(**kwargs) -> dict:
    from kefu.utility.demo import load_demo

    return load_demo(**kwargs)


def _staff(user) -> bool:
    return user.role not in (Role.FIELD_CREW, Role.QA_INSPECTOR)


def install() -> None:
    """Register the pack, its menu entries and its ticket panel (called from UtilityConfig.ready)."""
    from kefu.customers import panels as customer_panels
    from kefu.packs import gated
    from kefu.packs.registry import Pack, register
    from kefu.tickets import panels
    from kefu.utility.panel import customer_panel, ticket_panel
    from kefu.web.nav import NAV, NavItem

    register(Pack(code=PACK, name="燃气水务", name_en="Utilities",
                  description="户号与表具、抄表册与抄表计划、抄见率、表具异常、欠费催缴、营业收费。",
                  description_en="Accounts and meters, reading routes and schedules, read rates, abnormal "
                                 "meters, arrears, the billing desk.",
                  on_enable=_on_enable, demo=_demo,
                  reports=(("utility:read_rates", "抄见率"), ("utility:sales", "营业日报"))))
    panels.register("utility/partials/ticket_panel.html", gated(PACK, ticket_panel), side=True)
    customer_panels.register("utility/partials/customer_panel.html", gated(PACK, customer_panel))
    if not any(item.pack == PACK for item in NAV):
        NAV.extend([
            NavItem("utility:day", _("My reading day"), lambda u: u.role == Role.FIELD_CREW, pack=PACK),
            NavItem("utility:accounts", _("Accounts and meters"), _staff, pack=PACK),
            NavItem("utility:read_rates", _("Read rates"), lambda u: u.role in CAN_SUPERVISE, pack=PACK),
            NavItem("utility:abnormal", _("Abnormal meters"), _staff, pack=PACK),
            NavItem("utility:arrears", _("Arrears"), _staff, pack=PACK),
            NavItem("utility:desk", _("Billing desk"), _staff, pack=PACK),
        ])
