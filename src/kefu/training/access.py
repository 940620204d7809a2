"""Who trains: the information desk, team leads and management build courses and exams, assign and mark;
every staff member takes their own courses and exams (KB6)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import Forbidden
from kefu.knowledge.access import can_manage_knowledge


def can_train(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and can_manage_knowledge(user)


def require_trainer(user) -> None:
    if user is not None and not can_train(user):
        raise Forbidden(_("Your role does not manage training."), code="not_trainer")
