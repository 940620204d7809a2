"""Who appraises and who sees money: supervisors and above run the appraisal; bonus figures only for roles
with CAN_SEE_BONUS (kefu.accounts.roles); everyone else sees their own score and breakdown without money."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_SEE_BONUS, Role
from kefu.core.errors import Forbidden

APPRAISERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_appraise(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in APPRAISERS)


def can_see_bonus(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in CAN_SEE_BONUS)


def require_appraiser(user, *, money: bool = False) -> None:
    if user is None:
        return
    if not can_appraise(user) or (money and not can_see_bonus(user)):
        raise Forbidden(_("Your role does not run the appraisal."), code="not_appraiser")
