from django.urls import path

from kefu.provision import views

app_name = "provision"
urlpatterns = [
    path("", views.setup_page, name="setup"),
    path("export.yaml", views.export, name="export"),
]
