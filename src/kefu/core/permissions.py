"""The one permission primitive: `Model.objects.visible_to(user, action)`, as NetBox's `restrict(user, action)`.

Every read and every load-for-change starts from it. It is a pure function of its arguments: nothing about the
user is cached or keyed, so a rule may read any attribute of the user and stays right for every caller.
"""

from django.db import models

VIEW = "view"  # lists, pages, API reads, exports, search
CHANGE = "change"  # what a service may load to change it (a further check, such as a role, may still refuse)
ACTIONS = (VIEW, CHANGE)


def check_action(action: str) -> None:
    """A misspelt action is a programming error, never a silent 'nothing visible'."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}: one of {ACTIONS}.")


def is_active_user(user) -> bool:
    """Logged in and not deactivated: anyone else sees nothing of any model."""
    return user is not None and user.is_authenticated and user.is_active


class RestrictedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user, action)` calls the model's own rule, `restrict(user, action)`."""

    def visible_to(self, user, action: str = VIEW):
        """Rows `user` may `action`; none at all for anonymous or deactivated users."""
        check_action(action)
        if not is_active_user(user):
            return self.none()
        return self.restrict(user, action)

    def restrict(self, user, action: str):
        """The model's rule for an active user; the default lets every active user view and change every row."""
        return self.all()
