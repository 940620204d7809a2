"""The ASGI entry point: the whole site (pages, API, static files) plus the live streams of chat and presence.

Run it with uvicorn (scripts/demo.sh does): `uvicorn kefu.asgi:application`. Live updates are server-sent events
held open by the event loop, so an idle connection costs no thread."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")


def make_application():
    """The site as an ASGI app: Django, with the static files served as well (a reverse proxy may serve them)."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    return ASGIStaticFilesHandler(get_asgi_application())


application = make_application()

if os.environ.get("KEFU_CHAT_TICKER", "1") != "0":
    from kefu.chat.ticker import start

    start()
