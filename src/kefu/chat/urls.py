from django.urls import path

from kefu.chat.views import desk, public, streams

app_name = "chat"
urlpatterns = [
    # The widget (public, no login)
    path("embed.js", public.embed_js, name="embed"),
    path("w/<str:key>/", public.widget_page, name="widget"),
    path("w/<str:key>/start", public.start, name="start"),
    path("w/<str:key>/leave", public.leave, name="leave"),
    path("v/events", streams.visitor_events, name="visitor_events"),
    path("v/history", public.history, name="history"),
    path("v/send", public.send, name="send"),
    path("v/typing", public.typing, name="typing"),
    path("v/agent", public.ask_agent, name="ask_agent"),
    path("v/helped", public.helped, name="helped"),
    path("v/end", public.end, name="end"),
    path("v/rate", public.rate, name="rate"),
    path("v/transcript", public.transcript, name="transcript"),
    path("v/image/<int:seq>", public.image, name="image"),
    # The agent's desk
    path("desk/", desk.desk_page, name="desk"),
    path("desk/events", streams.desk_events, name="desk_events"),
    path("desk/state", desk.set_state, name="set_state"),
    path("c/<int:conv_id>/", desk.conversation_json, name="conversation"),
    path("c/<int:conv_id>/events", streams.staff_conversation_events, name="conversation_events"),
    path("c/<int:conv_id>/image/<int:seq>", desk.staff_image, name="staff_image"),
    path("c/<int:conv_id>/accept", desk.accept, name="accept"),
    path("c/<int:conv_id>/send", desk.send, name="agent_send"),
    path("c/<int:conv_id>/typing", desk.typing, name="agent_typing"),
    path("c/<int:conv_id>/end", desk.end, name="agent_end"),
    path("c/<int:conv_id>/transfer", desk.transfer, name="transfer"),
    path("c/<int:conv_id>/whisper", desk.whisper, name="whisper"),
    path("c/<int:conv_id>/takeover", desk.take_over, name="take_over"),
    path("c/<int:conv_id>/ticket", desk.make_ticket, name="make_ticket"),
    # The team lead
    path("live/", desk.live_page, name="live"),
    path("live/events", streams.live_events, name="live_events"),
    path("live/<int:conv_id>/", desk.watch_page, name="watch"),
]
