from django.urls import path

from kefu.phrases import views

app_name = "phrases"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("pick/", views.picker, name="picker"),
    path("<int:phrase_id>/", views.edit, name="edit"),
    path("<int:phrase_id>/delete/", views.delete, name="delete"),
]
