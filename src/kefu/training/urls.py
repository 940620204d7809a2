from django.urls import path

from kefu.training import views

app_name = "training"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("assignments/<int:assignment_id>/done/", views.complete, name="complete"),
    path("exams/<int:exam_id>/", views.take, name="take"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("results/", views.results, name="results"),
]
