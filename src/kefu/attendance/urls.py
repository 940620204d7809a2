from django.urls import path

from kefu.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("team.xlsx", views.export, name="export"),
    path("board/", views.board, name="board"),
    path("do/<str:action>/", views.act, name="act"),
]
