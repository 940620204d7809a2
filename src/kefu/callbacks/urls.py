from django.urls import path

from kefu.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pull/", views.pull, name="pull"),
    path("<int:task_id>/", views.task, name="task"),
    path("<int:task_id>/assign/", views.assign, name="assign"),
    path("<int:task_id>/<slug:action>/", views.act, name="act"),
]
