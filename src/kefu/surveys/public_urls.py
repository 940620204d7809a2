from django.urls import path

from kefu.surveys import public_views

app_name = "survey_public"
urlpatterns = [
    path("<str:token>/", public_views.take, name="take"),
]
