from django.contrib import admin

from kefu.campaigns.models import Campaign, CampaignCall
from kefu.core.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Campaigns change through their services (version, audit, call history); the admin reads them."""

    list_display = ["name", "purpose", "status", "questionnaire", "created_at"]
    list_filter = ["purpose", "status"]
    list_select_related = ["questionnaire"]


@admin.register(CampaignCall)
class CampaignCallAdmin(ReadOnlyAdmin):
    """Calls with the phone masked: the full number only through the audited reveal."""

    list_display = ["id", "campaign", "name", "masked_phone", "agent", "status", "attempts", "outcome"]
    list_filter = ["status", "outcome"]
    list_select_related = ["campaign", "agent"]
    exclude = ["phone"]
