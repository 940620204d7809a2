"""Records of personal-data requests (PIPL): who asked, what was done, when — never the data itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    """A customer's request under PIPL (anonymise, or a copy of their data) and what was done about it."""

    class Kind(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise (删除个人信息)")
        EXPORT = "export", _("Copy of personal data (查阅复制)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    customer_id = models.PositiveBigIntegerField(_("customer"), db_index=True)
    reference = models.CharField(_("request reference"), max_length=100, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_at = models.DateTimeField(_("handled"))
    # Counts per kind of record touched (codes and numbers only).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-handled_at", "-id"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")

    def __str__(self):
        return f"{self.kind} customer {self.customer_id}"
