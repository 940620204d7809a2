from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from kefu.api.api import api

admin.site.site_header = "kefu 客服"
admin.site.site_title = "kefu 客服"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
