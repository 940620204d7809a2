from django.urls import path

from kefu.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:campaign_id>/", views.detail, name="detail"),
    path("<int:campaign_id>/pull/", views.pull, name="pull"),
    path("calls/<int:call_id>/", views.call_screen, name="call"),
]
