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


class AuditEntry(models.Model):
    """One audited act: who, what, on which object, with JSON parameters (never translated text)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
