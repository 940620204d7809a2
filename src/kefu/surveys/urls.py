from django.urls import path

from kefu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("new/", views.create, name="new"),
    path("<int:questionnaire_id>/", views.edit, name="edit"),
    path("<int:questionnaire_id>/copy/", views.copy, name="copy"),
    path("<int:questionnaire_id>/results/", views.results, name="results"),
    path("ticket/<int:ticket_id>/", views.ticket_survey, name="ticket"),
]
