from django.urls import path

from kefu.briefing import views

app_name = "briefing"
urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("<int:briefing_id>/", views.detail, name="detail"),
    path("<int:briefing_id>/<str:name>/", views.action, name="action"),
]
