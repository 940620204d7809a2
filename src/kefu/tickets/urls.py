from django.urls import path

from kefu.tickets.views import actions, board, create, detail, field, queue, referrals

app_name = "tickets"
urlpatterns = [
    path("mine/", queue.mine, name="mine"),
    path("team/", queue.team, name="team"),
    path("all/", queue.everything, name="all"),
    path("new/", create.new_ticket, name="new"),
    path("board/", board.board, name="board"),
    path("board/assign/", board.bulk_assign, name="bulk_assign"),
    path("field/", field.field_work, name="field"),
    path("referrals/", referrals.inbox, name="referrals"),
    path("<int:ticket_id>/", detail.detail, name="detail"),
    path("<int:ticket_id>/reveal-phone/", actions.reveal_phone, name="reveal_phone"),
    path("<int:ticket_id>/<slug:action>/", actions.act, name="act"),
]
