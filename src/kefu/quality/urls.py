from django.urls import path

from kefu.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("sample/", views.sample, name="sample"),
    path("contacts/<int:contact_id>/", views.contact, name="contact"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("trend/", views.trend, name="trend"),
    path("calibrations/", views.calibrations, name="calibrations"),
    path("calibrations/<int:calibration_id>/", views.calibration, name="calibration"),
    path("settings/", views.settings_page, name="settings"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/<int:scorecard_id>/", views.scorecard, name="scorecard"),
]
