"""Password policy (MLPS level 3): length and character classes, configured by KEFU_PASSWORD_* settings."""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit, lambda c: c in string.punctuation or not c.isalnum())


class CharacterClassesValidator:
    """At least KEFU_PASSWORD_CLASSES of: lower case, upper case, digits, other characters."""

    def validate(self, password, user=None):
        needed = settings.KEFU_PASSWORD_CLASSES
        present = sum(1 for test in CLASSES if any(test(c) for c in password))
        if present < needed:
            raise ValidationError(
                _("Use at least %(n)s of: lower-case letters, upper-case letters, digits, other characters.")
                % {"n": needed}, code="password_classes", params={"n": needed})

    def get_help_text(self):
        return _("Use at least %(n)s of: lower-case letters, upper-case letters, digits, other characters.") % {
            "n": settings.KEFU_PASSWORD_CLASSES}


class PasswordHistoryValidator:
    """Not the current password nor one of the KEFU_PASSWORD_HISTORY before it (0: no history check)."""

    def validate(self, password, user=None):
        keep = settings.KEFU_PASSWORD_HISTORY
        if not keep or user is None or not getattr(user, "pk", None):
            return
        from django.contrib.auth.hashers import check_password

        from kefu.accounts.models import PasswordHistory

        hashes = [user.password] if user.has_usable_password() else []
        hashes += list(PasswordHistory.objects.filter(user=user).order_by("-at", "-id")
                       .values_list("password", flat=True)[:keep - 1])
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(
                _("Choose a password you have not used recently (the last %(n)s are refused).") % {"n": keep},
                code="password_reused", params={"n": keep})

    def get_help_text(self):
        return _("Choose a password you have not used recently (the last %(n)s are refused).") % {
            "n": settings.KEFU_PASSWORD_HISTORY}
