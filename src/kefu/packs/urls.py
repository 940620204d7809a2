from django.urls import path

from kefu.packs import views

app_name = "packs"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("<slug:code>/switch/", views.switch, name="switch"),
]
