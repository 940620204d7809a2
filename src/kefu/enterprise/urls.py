from django.urls import path

from kefu.enterprise import views

app_name = "enterprise"
urlpatterns = [
    path("", views.index, name="index"),
]
