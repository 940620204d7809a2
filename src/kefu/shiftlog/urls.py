from django.urls import path

from kefu.shiftlog import views

app_name = "shiftlog"
urlpatterns = [
    path("handover/", views.handover, name="handover"),
    path("handover/do/<str:action>/", views.act, name="act"),
]
