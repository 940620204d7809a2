from django.urls import path

from kefu.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.setup, name="setup"),
    path("mailboxes/<int:mailbox_id>/poll/", views.poll_now, name="poll"),
    path("tickets/<int:ticket_id>/reply/", views.reply, name="reply"),
    path("inbound/<int:inbound_id>/<slug:decision>/", views.split, name="split"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:customer_id>/merge/", views.merge, name="merge"),
]
