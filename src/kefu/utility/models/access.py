"""Who sees the utility pack's records: the center's service roles, not the field crew's customer limits."""

from kefu.accounts.roles import Role


def is_staff(user) -> bool:
    """Any signed-in, active member of the center (meter readers included)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_reader(user) -> bool:
    """Meter readers (抄表员) are field staff; they see their own routes' meters."""
    return is_staff(user) and user.role == Role.FIELD_CREW
