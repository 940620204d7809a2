"""The customer archive (客户档案, CU1–CU3, CU6): people and organisations, contacts, references, status history."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import NO_CUSTOMER_DATA, Role
from kefu.core.permissions import CHANGE, RestrictedQuerySet

# A field crew sees only the customers of work dispatched to it: a rule over tickets, which are built on
# customers, so the ticket app hands it in from its ready() (kefu.tickets.apps) rather than this app importing it.
_crew_rule: list[Callable[[models.QuerySet, object], models.QuerySet]] = []


def set_field_crew_rule(rule: Callable[[models.QuerySet, object], models.QuerySet]) -> None:
    """`rule(customers, user)`: the customers a field crew member may see."""
    _crew_rule[:] = [rule]


class CustomerQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str) -> "CustomerQuerySet":
        """Service roles look up any caller; a field crew sees only customers of work dispatched to it (none
        without the ticket app's rule); changing one needs a role that edits customers."""
        if action == CHANGE and not user.can_edit_customers():
            return self.none()
        if user.role in NO_CUSTOMER_DATA:
            return self.none()
        if user.role == Role.FIELD_CREW:
            return _crew_rule[0](self, user) if _crew_rule and user.team_id else self.none()
        return self.all()


class Customer(models.Model):
    """A person or organisation the center serves; one record across every channel (CH6)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Tier(models.TextChoices):
        NORMAL = "normal", _("Normal")
        STAR = "star", _("Star")
        VIP = "vip", _("VIP")
        GROUP = "group", _("Group (enterprise)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.NORMAL)
    star_level = models.PositiveSmallIntegerField(_("star level"), default=0)
    account_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="managed_customers",
                                        verbose_name=_("account manager"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["name"], name="customer_name")]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return self.name


class ContactPoint(models.Model):
    """A phone, email, WeChat/QQ id or address of a customer. Phones are stored normalised (digits)."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        PHONE = "phone", _("Landline")
        EMAIL = "email", _("Email")
        WECHAT = "wechat", _("WeChat")
        QQ = "qq", _("QQ")
        ADDRESS = "address", _("Address")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=300)
    label = models.CharField(_("label"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["kind", "value"], name="contact_lookup")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.kind}"

    @property
    def is_sensitive(self) -> bool:
        return self.kind in {self.Kind.MOBILE, self.Kind.PHONE}

    @property
    def masked_value(self) -> str:
        """What every screen shows: 138****1234 for phones (the full number only through a logged reveal)."""
        from kefu.core.pii import mask_phone

        return mask_phone(self.value) if self.is_sensitive else self.value


class CustomerReference(models.Model):
    """A typed link to something in another system: gas account, meter, shop order, game player id."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account")
        METER = "meter", _("Meter")
        ORDER = "order", _("Order")
        DEVICE = "device", _("Device")
        CONTRACT = "contract", _("Contract")
        PLAYER = "player", _("Player id")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="customer_ref_unique")]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self):
        return f"{self.kind}:{self.value}"


class CustomerStatusChange(models.Model):
    """One change of a customer's status, kept for history (CU1)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    to_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.from_status}→{self.to_status}"
