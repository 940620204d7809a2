from django.contrib import admin
from django.urls import include, path

from kefu.api.api import api

admin.site.site_header = "kefu 客服"
admin.site.site_title = "kefu 客服"

urlpatterns = [
    path("", include("kefu.web.urls")),
    path("tickets/", include("kefu.tickets.urls")),
    path("cti/", include("kefu.cti.urls")),
    path("search/", include("kefu.search.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
