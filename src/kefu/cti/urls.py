from django.urls import path

from kefu.cti import views

app_name = "cti"
urlpatterns = [
    path("pop/", views.pop, name="pop"),
    path("calls/<int:call_pk>/dismiss/", views.dismiss, name="dismiss"),
]
