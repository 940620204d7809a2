from django.contrib import admin

from kefu.core.admin import ReadOnlyAdmin
from kefu.core.pii import mask_id_number, mask_phone
from kefu.customers.models import ContactPoint, Customer, CustomerReference, CustomerStatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(ReadOnlyInline):
    model = ContactPoint
    fields = ["kind", "masked_value", "label", "is_primary"]
    readonly_fields = fields

    @admin.display(description="value")
    def masked_value(self, obj):
        return mask_phone(obj.value) if obj.is_sensitive else obj.value


class ReferenceInline(ReadOnlyInline):
    model = CustomerReference
    fields = ["kind", "value", "note"]
    readonly_fields = fields


class StatusInline(ReadOnlyInline):
    model = CustomerStatusChange
    fields = ["at", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Read-only view of the archive: changes go through the API and services, so they are audited."""

    list_display = ["name", "kind", "tier", "star_level", "account_manager", "status"]
    list_filter = ["kind", "tier", "status"]
    search_fields = ["name"]
    list_select_related = ["account_manager"]
    fields = ["name", "kind", "masked_id_number", "tier", "star_level", "account_manager", "status", "notes",
              "version"]
    readonly_fields = fields
    inlines = [ContactInline, ReferenceInline, StatusInline]

    @admin.display(description="ID number")
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)
