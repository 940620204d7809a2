from django.urls import path

from kefu.kpi import views

app_name = "kpi"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("appraisal/", views.appraisal_page, name="appraisal"),
    path("appraisal/compute/", views.appraisal_action, name="appraisal_action"),
    path("appraisal/export/", views.appraisal_export, name="appraisal_export"),
    path("stars/", views.star_board, name="stars"),
]
