"""The audit log (SE2): every change of configuration or customer data and every reveal of personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    PII_REVEALED = "pii_revealed", _("Personal data revealed")
    CUSTOMER_CREATED = "customer_created", _("Customer created")
    CUSTOMER_CHANGED = "customer_changed", _("Customer changed")
    CUSTOMERS_IMPORTED = "customers_imported", _("Customers imported")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User changed")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    CONFIG_CHANGED = "config_changed", _("Configuration changed")
    EXPORT = "export", _("Data exported")
    LOGIN_LOCKED = "login_locked", _("Login locked after failed attempts")
    PII_REVEAL_REFUSED = "pii_reveal_refused", _("Personal data reveal refused")
    AUDIT_EXPORTED = "audit_exported", _("Audit log exported")
    AUDIT_PURGED = "audit_purged", _("Audit entries past retention removed")
    CUSTOMER_ANONYMISED = "customer_anonymised", _("Customer anonymised on request")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Customer's personal data exported on request")
    RETENTION_APPLIED = "retention_applied", _("Retention schedule applied")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_CHANGE_REQUIRED = "password_change_required", _("New password required")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor login turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor login turned off")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor login reset")
    LOGIN_UNLOCKED = "login_unlocked", _("Login lock lifted")


class AuditEntry(models.Model):
    """One audited act: who, what, on which object, with JSON parameters (never translated text).

    Entries form a hash chain (kefu.audit.chain): `seq` numbers them without gaps and `hash` covers the entry
    and the previous entry's hash, so an edited, deleted or inserted entry shows in `kefu audit verify`.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    seq = models.PositiveBigIntegerField(unique=True, null=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """The chain's last link (one row): appending locks it, so concurrent writers never fork the chain.

    `purged_seq`/`purged_hash` remember the last entry removed by retention: verification starts after it.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    purged_seq = models.PositiveBigIntegerField(default=0)
    purged_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self):
        return f"{self.seq}:{self.hash[:12]}"
