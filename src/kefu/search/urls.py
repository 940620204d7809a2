from django.urls import path

from kefu.search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("vocabulary/", views.vocabulary_page, name="vocabulary"),
]
