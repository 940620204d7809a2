from django.urls import path

from kefu.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/reveal/", views.reveal, name="reveal_id"),
    path("<int:customer_id>/contacts/<int:contact_id>/reveal/", views.reveal, name="reveal_contact"),
]
