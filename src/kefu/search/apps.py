import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Commands that serve searches or index documents: they load the segmenter when they start, not on the first
# request (gunicorn's configuration calls kefu.search.warm_up before forking).
SERVING_COMMANDS = {"runserver", "run_huey", "runworker"}


class SearchConfig(AppConfig):
    name = "kefu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from kefu.customers.services import listen as listen_customers
        from kefu.search.indexing import index_customer, on_ticket_event
        from kefu.tickets.events import listen as listen_tickets

        listen_tickets(self.label, on_ticket_event)
        listen_customers(index_customer)
        if len(sys.argv) > 1 and sys.argv[1] in SERVING_COMMANDS:
            from kefu.search import warm_up

            warm_up()
