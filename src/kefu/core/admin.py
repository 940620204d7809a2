"""Admin base classes shared by every app."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Business objects (tickets, deliveries, audit entries, report facts …) change only through their services:
    the admin lists and shows them (Django's view-only pages), and never adds, edits or deletes one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
