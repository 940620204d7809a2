"""Account security (MLPS level 3): TOTP second factor, password change with history and expiry, and the
security administrator's acts (unlock a login, reset a second factor, require a new password).

Every act is one service in a transaction and is audited. What a browser session still owes after the
password (a second factor, a new password) is decided by `pending_step`, which kefu.web.gate enforces on
every request of the session.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts import throttle, totp
from kefu.accounts.models import PasswordHistory, TwoFactor, User
from kefu.accounts.roles import REQUIRES_TWO_FACTOR
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden, NotFound, ValidationFailed

# Session key: set once the session has shown its second factor (or found it needs none).
FACTOR_KEY = "kefu_factor_ok"

VERIFY, SETUP, PASSWORD = "two_factor", "two_factor_setup", "password"


def factor_required(user: User) -> bool:
    """Administrators, security administrators and auditors must use a second factor (KEFU_TWO_FACTOR_REQUIRED)."""
    return settings.KEFU_TWO_FACTOR_REQUIRED and user.role in REQUIRES_TWO_FACTOR


def confirmed_factor(user: User) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def password_expires_at(user: User) -> datetime | None:
    """When the password must be changed (None: never, KEFU_PASSWORD_MAX_AGE_DAYS=0 or no password)."""
    days = settings.KEFU_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return None
    return (user.password_changed_at or user.date_joined) + timedelta(days=days)


def password_expired(user: User, now: datetime | None = None) -> bool:
    ends = password_expires_at(user)
    return ends is not None and (now or timezone.now()) >= ends


def pending_step(user: User, session) -> str | None:
    """What this logged-in session must do before anything else: VERIFY, SETUP, PASSWORD or nothing.

    The second factor, once shown (or found not needed), is remembered in the session, so a normal page costs
    no query here; the password's state is on the user already loaded."""
    if not session.get(FACTOR_KEY):
        if confirmed_factor(user) is not None:
            return VERIFY
        if factor_required(user):
            return SETUP
        session[FACTOR_KEY] = "none"
    if user.must_change_password or password_expired(user):
        return PASSWORD
    return None


def forget_session_checks(session) -> None:
    """At each login: the new session proves its second factor again."""
    session.pop(FACTOR_KEY, None)


# --- TOTP -----------------------------------------------------------------------------------------------


@dataclass
class Enrolment:
    secret: str
    uri: str


@transaction.atomic
def start_enrolment(*, actor: User, now: datetime | None = None) -> Enrolment:
    """A secret for the user's authenticator app (kept until confirmed; a confirmed one must be reset first)."""
    now = now or timezone.now()
    factor = TwoFactor.objects.select_for_update().filter(user=actor).first()
    if factor is not None and factor.confirmed_at is not None:
        raise ValidationFailed(_("Two-factor login is already on. Turn it off or have it reset first."),
                               code="two_factor_active")
    secret = totp.unseal(factor.sealed_secret) if factor is not None else None
    if secret is None:
        secret = totp.new_secret()
        TwoFactor.objects.update_or_create(user=actor, defaults={"sealed_secret": totp.seal(secret),
                                                                 "created_at": now, "confirmed_at": None,
                                                                 "last_step": 0})
    return Enrolment(secret=secret, uri=totp.provisioning_uri(secret, actor.username))


def _accept(factor: TwoFactor, code: str, now: datetime) -> bool:
    """Check a code and use it up (its time step is remembered: the same code is refused afterwards)."""
    secret = totp.unseal(factor.sealed_secret)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, now)
    if step is None or step <= factor.last_step:
        return False
    # Conditional update: two requests with the same code cannot both pass.
    return TwoFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step) == 1


@transaction.atomic
def confirm_enrolment(*, actor: User, code: str, now: datetime | None = None) -> TwoFactor:
    """Turn the factor on with a first code from the app."""
    now = now or timezone.now()
    factor = TwoFactor.objects.select_for_update().filter(user=actor).first()
    if factor is None:
        raise NotFound(_("Start the set-up first."), code="no_enrolment")
    if factor.confirmed_at is not None:
        raise ValidationFailed(_("Two-factor login is already on."), code="two_factor_active")
    if not _accept(factor, code, now):
        raise ValidationFailed(_("This code is not valid. Type the six digits the app shows now."),
                               code="wrong_code", field="code")
    TwoFactor.objects.filter(pk=factor.pk).update(confirmed_at=now)
    record(actor=actor, action=AuditAction.TWO_FACTOR_ENABLED, target_type="user", target_id=actor.pk, now=now)
    factor.refresh_from_db()
    return factor


def verify_login_code(*, user: User, code: str, address: str | None, now: datetime | None = None) -> None:
    """The second step of a login. A wrong code counts as a failed login (the same lock as wrong passwords)."""
    now = now or timezone.now()
    if throttle.locked_until(user.username, address, now=now):
        raise Forbidden(_("Too many failed logins for this user name. Try again later."), code="login_throttled")
    factor = confirmed_factor(user)
    with transaction.atomic():
        ok = factor is not None and _accept(factor, code, now)
    if not ok:
        throttle.record_failure(user.username, address, now=now)
        raise ValidationFailed(_("This code is not valid. Type the six digits the app shows now."),
                               code="wrong_code", field="code")


@transaction.atomic
def disable_own_factor(*, actor: User, password: str, now: datetime | None = None) -> None:
    """Turn one's own second factor off (only where the role does not require it), confirmed by the password."""
    if factor_required(actor):
        raise Forbidden(_("Your role must log in with a second factor."), code="two_factor_required")
    if not actor.check_password(password or ""):
        raise ValidationFailed(_("The current password is not correct."), code="wrong_password", field="password")
    removed, _by_model = TwoFactor.objects.filter(user=actor).delete()
    if removed:
        record(actor=actor, action=AuditAction.TWO_FACTOR_DISABLED, target_type="user", target_id=actor.pk,
               now=now)


# --- passwords ------------------------------------------------------------------------------------------


def remember_password(user: User, encoded: str, now: datetime) -> None:
    """Keep the hash of the password being replaced, and no more of them than the policy looks at."""
    if not encoded or encoded.startswith("!"):  # no usable password before
        return
    PasswordHistory.objects.create(user=user, password=encoded, at=now)
    keep = max(settings.KEFU_PASSWORD_HISTORY, 1)
    old = list(PasswordHistory.objects.filter(user=user).order_by("-at", "-id").values_list("pk", flat=True)[keep:])
    if old:
        PasswordHistory.objects.filter(pk__in=old).delete()


@transaction.atomic
def change_password(*, actor: User, current: str, new: str, now: datetime | None = None) -> None:
    """Change one's own password: the current one, the policy (length, classes, history) and a new date."""
    from kefu.accounts.services import check_password_policy

    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(current or ""):
        raise ValidationFailed(_("The current password is not correct."), code="wrong_password", field="current")
    if not new:
        raise ValidationFailed(_("This field is required."), code="required", field="password")
    check_password_policy(new, user)
    previous = user.password
    user.set_password(new)
    user.password_changed_at = now
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    remember_password(user, previous, now)
    record(actor=actor, action=AuditAction.PASSWORD_CHANGED, target_type="user", target_id=user.pk, now=now)
    actor.password, actor.password_changed_at, actor.must_change_password = user.password, now, False


# --- the security administrator's acts ------------------------------------------------------------------


def require_security_admin(actor: User | None) -> None:
    # actor=None: the operator at the machine (command line), who is trusted.
    if actor is not None and not actor.can_manage_security():
        raise Forbidden(_("Only the security administrator can do this."), code="not_security_admin")


def _target(actor: User | None, user_id: int) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such user."), code="not_found", field="user")
    if actor is not None and actor.pk == user.pk:  # nobody lifts their own lock or resets their own factor
        raise Forbidden(_("Another security administrator must do this for your own account."),
                        code="own_account")
    return user


@transaction.atomic
def unlock_login(*, actor: User | None, user_id: int, now: datetime | None = None) -> None:
    """End a login lock (failed passwords or codes) before its time."""
    require_security_admin(actor)
    user = _target(actor, user_id)
    throttle.clear(user.username)
    record(actor=actor, action=AuditAction.LOGIN_UNLOCKED, target_type="user", target_id=user.pk, now=now)


@transaction.atomic
def reset_factor(*, actor: User | None, user_id: int, now: datetime | None = None) -> None:
    """Remove a user's authenticator (a lost phone): their next login sets a new one up."""
    require_security_admin(actor)
    user = _target(actor, user_id)
    removed, _by_model = TwoFactor.objects.filter(user=user).delete()
    if not removed:
        raise ValidationFailed(_("This user has no second factor."), code="no_two_factor")
    record(actor=actor, action=AuditAction.TWO_FACTOR_RESET, target_type="user", target_id=user.pk, now=now)


@transaction.atomic
def require_new_password(*, actor: User | None, user_id: int, now: datetime | None = None) -> None:
    """The user must choose a new password at their next page (a suspected leak)."""
    require_security_admin(actor)
    user = _target(actor, user_id)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    record(actor=actor, action=AuditAction.PASSWORD_CHANGE_REQUIRED, target_type="user", target_id=user.pk,
           now=now)


@dataclass
class AccountState:
    user: User
    factor: str  # "on", "pending" (set up, not confirmed), "off"
    factor_required: bool
    password_expires_at: datetime | None
    password_expired: bool
    locked_until: datetime | None


def account_states(*, actor: User, now: datetime | None = None) -> list[AccountState]:
    """Every active user's security state, for the security administrator's page."""
    require_security_admin(actor)
    now = now or timezone.now()
    factors = {f.user_id: f for f in TwoFactor.objects.all()}
    locks = throttle.locked_names(now=now)
    states = []
    for user in User.objects.filter(is_active=True).select_related("team").order_by("role", "username"):
        factor = factors.get(user.pk)
        expires = password_expires_at(user)
        states.append(AccountState(
            user=user, factor="off" if factor is None else ("on" if factor.confirmed_at else "pending"),
            factor_required=factor_required(user), password_expires_at=expires,
            password_expired=expires is not None and now >= expires,
            locked_until=locks.get(throttle.name_key(user.username))))
    return states

