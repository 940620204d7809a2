from django.urls import path

from kefu.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("team.xlsx", views.export, name="export"),
    path("board/", views.board, name="board"),
    path("requests/", views.requests_page, name="requests"),
    path("approvals/", views.approvals, name="approvals"),
    path("requests/do/<str:action>/", views.request_act, name="request_act"),
    path("do/<str:action>/", views.act, name="act"),
]
