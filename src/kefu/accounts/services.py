"""Every change to departments, teams, users and API tokens."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import ApiToken, Department, Team, User, hash_token
from kefu.accounts.roles import Role
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.core.text import clean_display


def _require_admin(actor: User | None) -> None:
    # actor=None means the command line run by the operator of the machine, who is trusted.
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator can set up the center."), code="not_admin")


@transaction.atomic
def create_department(*, actor: User | None, name: str, kind: str = Department.Kind.SERVICE) -> Department:
    """Create a department."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A department needs a name."), code="required", field="name")
    if kind not in Department.Kind.values:
        raise ValidationFailed(_("Unknown department kind."), code="invalid_choice", field="kind")
    if Department.objects.filter(name=name).exists():
        raise ValidationFailed(_("A department with this name exists."), code="duplicate", field="name")
    dept = Department.objects.create(name=name, kind=kind)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="department", target_id=dept.pk,
           params={"op": "create", "name": name, "kind": kind})
    return dept


@transaction.atomic
def create_team(*, actor: User | None, department: Department, name: str, is_field_crew: bool = False) -> Team:
    """Create a team (班组) in a department."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A team needs a name."), code="required", field="name")
    if Team.objects.filter(department=department, name=name).exists():
        raise ValidationFailed(_("This department has a team with this name."), code="duplicate",
                               field="name")
    team = Team.objects.create(department=department, name=name, is_field_crew=is_field_crew)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="team", target_id=team.pk,
           params={"op": "create", "name": name, "department": department.pk})
    return team


def check_password_policy(password: str, user: User) -> None:
    """The password policy (KEFU_PASSWORD_*): every reason at once, as 422 weak_password."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password", field="password",
                               params={"reasons": [e.code for e in exc.error_list]}) from None


@transaction.atomic
def create_user(*, actor: User | None, username: str, password: str | None, role: str,
                team: Team | None = None, agent_no: str | None = None, display_name: str = "",
                mobile: str = "", password_hash: str | None = None) -> User:
    """Create a user with a role, an optional team and 工号; the password is hashed.

    `password_hash` takes an already hashed password (users moved from another system, or many users who
    share one published demo password, which would otherwise be hashed once per user)."""
    _require_admin(actor)
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(_("A user needs a login name."), code="required", field="username")
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_choice", field="role")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This login name is taken."), code="duplicate", field="username")
    agent_no = (agent_no or "").strip() or None
    if agent_no and User.objects.filter(agent_no=agent_no).exists():
        raise ValidationFailed(_("This agent number is taken."), code="duplicate", field="agent_no")
    if role in (Role.FIELD_CREW,) and (team is None or not team.is_field_crew):
        raise ValidationFailed(_("A field crew member belongs to a field crew team."), code="invalid",
                               field="team")
    if password:
        check_password_policy(password, User(username=username, display_name=display_name))
    try:
        user = User(username=username, role=role, team=team, agent_no=agent_no,
                    display_name=clean_display(display_name), mobile=mobile.strip(),
                    is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        if password_hash or password:
            user.password_changed_at = timezone.now()
        if password_hash:
            user.password = password_hash
        elif password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    except IntegrityError as exc:  # a concurrent create took the name between the check and the insert
        raise ValidationFailed(_("This login name is taken."), code="duplicate", field="username") from exc
    record(actor=actor, action=AuditAction.USER_CREATED, target_type="user", target_id=user.pk,
           params={"role": role, "team": team.pk if team else None, "agent_no": agent_no})
    return user


@transaction.atomic
def issue_token(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token for a user; returns the token row and the raw key, shown only this once."""
    if actor is not None and actor.pk != user.pk:
        _require_admin(actor)
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(user=user, name=name.strip() or "api", prefix=raw[3:11],
                                    key_hash=hash_token(raw))
    record(actor=actor, action=AuditAction.TOKEN_ISSUED, target_type="user", target_id=user.pk,
           params={"token": token.pk, "prefix": token.prefix})
    return token, raw


@transaction.atomic(durable=True)
def revoke_token(*, actor: User | None, token: ApiToken) -> None:
    """Revoke an API token; it stops working at once."""
    if actor is not None and actor.pk != token.user_id:
        _require_admin(actor)
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action=AuditAction.TOKEN_REVOKED, target_type="user", target_id=token.user_id,
           params={"token": token.pk})
