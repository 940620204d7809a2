"""Who inspects, who decides appeals, who sees which evaluations (QA1–QA3, SE1).

QA inspectors (质检员) score the center's contacts; team leads score their own team's; supervisors and above
decide appeals and set reference scores in calibration; an agent reads only their own evaluations.
"""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role
from kefu.core.errors import Forbidden

INSPECTORS = frozenset({Role.QA_INSPECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR,
                        Role.ADMIN})
DECIDERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})
CENTER_READERS = frozenset({Role.QA_INSPECTOR, Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_inspect(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in INSPECTORS)


def is_scored(user) -> bool:
    """Whose work is scored and ranked (evaluations, the star board, training): not field crews or account
    managers, whose contacts are not center contacts, nor the security administrator and the auditor, who
    have none."""
    return _active(user) and user.role not in (Role.FIELD_CREW, Role.ACCOUNT_MANAGER, Role.SECURITY_ADMIN,
                                               Role.AUDITOR)


def can_decide(user) -> bool:
    """Decide appeals, edit scorecards, word lists and sampling plans, set calibration references."""
    return _active(user) and (user.is_superuser or user.role in DECIDERS)


def reads_center(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in CENTER_READERS)


def require_inspector(user) -> None:
    if user is not None and not can_inspect(user):
        raise Forbidden(_("Your role does not inspect contacts."), code="not_inspector")


def require_decider(user) -> None:
    if user is not None and not can_decide(user):
        raise Forbidden(_("Only a supervisor may do this."), code="not_supervisor")
