from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
