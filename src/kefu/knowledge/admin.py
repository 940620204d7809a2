from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.core.admin import ReadOnlyAdmin
from kefu.knowledge.models import Article, Category, Tag


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    """Setup data: the categories articles are filed under, in this order."""

    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    """Read-only: articles are written, reviewed and published through the knowledge pages and API."""

    list_display = ["title", "category", "audience", "status", "current_revision", "published_revision", "updated_at"]
    list_filter = ["status", "audience", "category"]
    search_fields = ["title"]
