from django.urls import path

from kefu.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("review/", views.review_queue, name="review"),
    path("suggest/", views.suggest, name="suggest"),
    path("<int:article_id>/", views.article_detail, name="article"),
    path("<int:article_id>/edit/", views.article_edit, name="edit"),
    path("<int:article_id>/history/", views.history, name="history"),
    path("<int:article_id>/feedback/", views.feedback, name="feedback"),
    path("<int:article_id>/<str:action>/", views.article_action, name="action"),
]
