"""Which industry packs are switched on for this center (one row per pack that was ever switched)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PackState(models.Model):
    """Whether one pack is on; `version` grows with every switch, so their sum tells every process to reload."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry pack state")
        verbose_name_plural = _("industry pack states")

    def __str__(self):
        return f"{self.code}: {'on' if self.enabled else 'off'}"
