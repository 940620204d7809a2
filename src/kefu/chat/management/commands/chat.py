"""`kefu chat widget …` (set up a widget and print its script tag) and `kefu chat route` (one routing pass)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError


def snippet(widget) -> str:
    return f'<script src="{settings.PUBLIC_URL}/chat/embed.js" data-widget="{widget.key}" async></script>'


class Command(BaseCommand):
    help = "Chat setup and maintenance: create a widget (prints the script tag to embed), route waiting chats."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        widget = sub.add_parser("widget", help="create a widget for a team, or show the existing ones")
        widget.add_argument("--team", help="the team's name (一班); default: the first service team")
        widget.add_argument("--name", default="在线客服")
        widget.add_argument("--origin", action="append", default=[], help="a site allowed to embed it (repeat)")
        widget.add_argument("--no-assistant", action="store_true", help="no FAQ assistant before the queue")
        widget.add_argument("--if-none", action="store_true", help="only when no widget exists yet")
        widget.add_argument("--as", dest="as_user", help="act as this user (default: the operator)")
        sub.add_parser("route", help="hand lapsed offers on and route every waiting chat once")

    def handle(self, *args, action, **options):
        if action == "route":
            from kefu.chat.services.routing import expire_offers, route_all

            self.stdout.write(dump({"lapsed": expire_offers(), "offered": route_all()}))
            return
        self._widget(**options)

    def _widget(self, *, team, name, origin, no_assistant, if_none, as_user, **_options):
        from kefu.accounts.models import Team
        from kefu.chat.models import Widget
        from kefu.chat.services.setup import create_widget

        if if_none and Widget.objects.exists():
            self.stdout.write(dump([{"key": w.key, "name": w.name, "embed": snippet(w)} for w in Widget.objects.all()]))
            return
        qs = Team.objects.filter(is_field_crew=False).order_by("id")
        chosen = qs.filter(name=team).first() if team else qs.first()
        if chosen is None:
            raise CommandError(f"no team {team!r}" if team else "no service team yet; load the demo or add one")
        try:
            widget = create_widget(actor=acting_user(as_user), name=name, team_id=chosen.pk, origins=origin,
                                   assistant=not no_assistant)
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump({"key": widget.key, "team": str(chosen), "embed": snippet(widget),
                                "page": f"{settings.PUBLIC_URL}/chat/w/{widget.key}/"}))
