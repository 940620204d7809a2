from django.urls import path

from kefu.reports import views

app_name = "reports"
urlpatterns = [
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/export.csv", views.callbacks_export, name="callbacks_export"),
]
