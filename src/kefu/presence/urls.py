from django.urls import path

from kefu.presence import views

app_name = "presence"
urlpatterns = [
    path("", views.board, name="board"),
]
