from django.contrib import admin
from django.urls import include, path

from kefu.api.api import api

admin.site.site_header = "kefu 客服"
admin.site.site_title = "kefu 客服"

urlpatterns = [
    path("", include("kefu.web.urls")),
    path("tickets/", include("kefu.tickets.urls")),
    path("cti/", include("kefu.cti.urls")),
    path("customers/", include("kefu.customers.urls")),
    path("phrases/", include("kefu.phrases.urls")),
    path("knowledge/", include("kefu.knowledge.urls")),
    path("help/", include("kefu.knowledge.help_urls")),
    path("memos/", include("kefu.memos.urls")),
    path("briefing/", include("kefu.briefing.urls")),
    path("search/", include("kefu.search.urls")),
    path("callbacks/", include("kefu.callbacks.urls")),
    path("surveys/", include("kefu.surveys.urls")),
    path("s/", include("kefu.surveys.public_urls")),
    path("campaigns/", include("kefu.campaigns.urls")),
    path("quality/", include("kefu.quality.urls")),
    path("training/", include("kefu.training.urls")),
    path("kpi/", include("kefu.kpi.urls")),
    path("reports/", include("kefu.reports.urls")),
    path("chat/", include("kefu.chat.urls")),
    path("presence/", include("kefu.presence.urls")),
    path("channels/", include("kefu.channels.urls")),
    path("workforce/", include("kefu.workforce.urls")),
    path("packs/", include("kefu.packs.urls")),
    path("utility/", include("kefu.utility.urls")),
    path("enterprise/", include("kefu.enterprise.urls")),
    path("audit/", include("kefu.audit.urls")),
    path("setup/", include("kefu.provision.urls")),
    path("attendance/", include("kefu.attendance.urls")),
    path("shift/", include("kefu.shiftlog.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
