"""Who keeps the knowledge base, scripts, memos and briefings (one check, used by all four apps)."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_MANAGE_KNOWLEDGE
from kefu.core.errors import Forbidden


def can_manage_knowledge(user) -> bool:
    """Active information desk, team leads, management and administrators."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in CAN_MANAGE_KNOWLEDGE


def is_staff_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def require_knowledge_manager(actor) -> None:
    # actor=None is the operator at the command line or a trusted system task.
    if actor is not None and not can_manage_knowledge(actor):
        raise Forbidden(_("Only the information desk, team leads and supervisors can do this."),
                        code="cannot_manage_knowledge")
