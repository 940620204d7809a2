"""Departments, teams (班组), users with role and 工号, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import (
    CAN_ADMINISTER,
    CAN_DECIDE_REFERRALS,
    CAN_EDIT_CUSTOMERS,
    CAN_HANDLE_TICKETS,
    CAN_MANAGE_SECURITY,
    CAN_READ_AUDIT,
    CAN_REVEAL_PII,
    CAN_SEE_REVENUE,
    CAN_SUPERVISE,
    Role,
)


class Department(models.Model):
    """A department of the company (客服部, 工程部, 安装维修队 …)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Customer service")
        ENGINEERING = "engineering", _("Engineering")
        FIELD = "field", _("Field service")
        DATA = "data", _("Data")
        OPERATIONS = "operations", _("Operations and maintenance")
        SALES = "sales", _("Sales")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Team(models.Model):
    """A team (班组) inside a department; field crews are teams of a field department."""

    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="teams",
                                   verbose_name=_("department"))
    is_field_crew = models.BooleanField(_("field crew"), default=False)

    class Meta:
        ordering = ["department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="team_unique_name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return f"{self.department.name}/{self.name}"


class User(AbstractUser):
    """A person who works in the center, with one role and at most one team."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.AGENT)
    agent_no = models.CharField(_("agent number"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members",
                             verbose_name=_("team"))
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    # On duty now: emergency repairs (抢修) are sent to these people by SMS at creation (SL4).
    on_duty = models.BooleanField(_("on duty"), default=False)
    # Password expiry and history (MLPS level 3, KEFU_PASSWORD_MAX_AGE_DAYS / KEFU_PASSWORD_HISTORY): when the
    # password was last set, and whether the security administrator's reset requires a new one at next login.
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        label = self.display_name or self.username
        return f"{label} ({self.agent_no})" if self.agent_no else label

    @property
    def label(self) -> str:
        return self.display_name or self.username

    def can_reveal_pii(self) -> bool:
        return self.is_active and self.role in CAN_REVEAL_PII

    def can_handle_tickets(self) -> bool:
        return self.is_active and self.role in CAN_HANDLE_TICKETS

    def works_in_field(self) -> bool:
        """A field crew member (维修): works dispatched tickets on site, takes no calls."""
        return self.is_active and self.role == Role.FIELD_CREW

    def can_take_calls(self) -> bool:
        """Handles tickets at a desk: opens tickets and makes callbacks (everyone who handles but the field)."""
        return self.can_handle_tickets() and self.role != Role.FIELD_CREW

    def can_decide_referrals(self) -> bool:
        return self.is_active and self.role in CAN_DECIDE_REFERRALS

    def can_edit_customers(self) -> bool:
        return self.is_active and self.role in CAN_EDIT_CUSTOMERS

    def can_supervise(self) -> bool:
        return self.is_active and self.role in CAN_SUPERVISE

    def can_see_revenue(self) -> bool:
        return self.is_active and self.role in CAN_SEE_REVENUE

    def can_administer(self) -> bool:
        return self.is_active and (self.role in CAN_ADMINISTER or self.is_superuser)

    def can_read_audit(self) -> bool:
        return self.is_active and self.role in CAN_READ_AUDIT

    def can_manage_security(self) -> bool:
        return self.is_active and self.role in CAN_MANAGE_SECURITY


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for integrations (telephony, IM gateways). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        return "kf_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """One failed login (wrong password or unknown user), kept for the throttle's window (SE3).

    In the database, not a per-process cache, so that every app server sees the same count."""

    username = models.CharField(max_length=150)  # as typed, lower-cased; never the password
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="login_failure_user"),
                   models.Index(fields=["address", "at"], name="login_failure_address")]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """A password the user had (its hash only): a new password may not repeat the last KEFU_PASSWORD_HISTORY."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="password_history_user")]
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d}"


class TwoFactor(models.Model):
    """A user's TOTP authenticator (RFC 6238, as 微信/Google/Microsoft authenticator apps do it).

    The shared secret is stored sealed with a key derived from the server's secret key (kefu.accounts.totp);
    `confirmed_at` is set once the user has typed a code from the app, and only then is the factor asked at
    login. `last_step` is the time step of the last accepted code: a code is accepted once (no replay).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    sealed_secret = models.TextField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("two-factor authenticator")
        verbose_name_plural = _("two-factor authenticators")

    def __str__(self):
        return f"{self.user_id} {'confirmed' if self.confirmed_at else 'pending'}"
