from django.urls import path

from kefu.knowledge import help_views

app_name = "help"
urlpatterns = [
    path("", help_views.index, name="index"),
    path("<int:article_id>/", help_views.article, name="article"),
    path("<int:article_id>/feedback/", help_views.feedback, name="feedback"),
]
