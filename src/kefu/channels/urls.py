from django.urls import path

from kefu.channels import views
from kefu.channels.partners import views as partners

app_name = "channels"
urlpatterns = [
    path("", views.setup, name="setup"),
    path("mailboxes/<int:mailbox_id>/poll/", views.poll_now, name="poll"),
    path("tickets/<int:ticket_id>/reply/", views.reply, name="reply"),
    path("inbound/<int:inbound_id>/<slug:decision>/", views.split, name="split"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:customer_id>/merge/", views.merge, name="merge"),
    path("partners/", partners.board, name="partners"),
    path("partners/import/", partners.upload, name="partners_import"),
    path("partners/cases/<int:case_id>/<slug:action>/", partners.act, name="partner_case"),
    path("partners/sources/<int:source_id>/export/", partners.export, name="partners_export"),
    path("partners/batches/<int:batch_id>/ack/", partners.acknowledge, name="partners_ack"),
    path("partners/batches/<int:batch_id>/workbook/", partners.workbook, name="partners_workbook"),
]
