from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import ApiToken, Department, Team, User
from kefu.audit.models import AuditAction
from kefu.audit.services import record


class AuditedAdmin(admin.ModelAdmin):
    """Configuration edited in the admin is audited like any other change of the center's setup."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(actor=request.user, action=AuditAction.CONFIG_CHANGED, target_type=obj._meta.model_name,
               target_id=obj.pk, params={"op": "change" if change else "create",
                                         "fields": sorted(form.changed_data)})


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "department", "is_field_crew"]
    list_filter = ["department", "is_field_crew"]
    list_select_related = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "agent_no", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "display_name", "agent_no"]
    list_select_related = ["team__department"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Center"), {"fields": ["role", "agent_no", "display_name", "team", "mobile"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Center"), {"fields": ["role", "agent_no", "display_name", "team"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(actor=request.user, action=AuditAction.USER_CHANGED if change else AuditAction.USER_CREATED,
               target_type="user", target_id=obj.pk,
               params={"fields": sorted(f for f in form.changed_data if f not in ("password", "password1",
                                                                                   "password2"))})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `kefu user token`; here they can be looked at, not forged."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
