from django.urls import path

from kefu.memos import views

app_name = "memos"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mine/", views.mine, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("<int:memo_id>/", views.detail, name="detail"),
    path("<int:memo_id>/<str:name>/", views.action, name="action"),
]
