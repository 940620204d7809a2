from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "kefu.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from kefu.customers import panels as customer_panels
        from kefu.customers.models import set_field_crew_rule
        from kefu.tickets import panels
        from kefu.tickets.customer_panel import customer_ticket_counts, customer_tickets_panel
        from kefu.tickets.loop import loop_panel
        from kefu.tickets.models import customers_dispatched_to

        panels.register("tickets/partials/loop_panel.html", loop_panel)
        set_field_crew_rule(customers_dispatched_to)
        customer_panels.register("tickets/partials/customer_tickets.html", customer_tickets_panel)
        customer_panels.register_detail(customer_ticket_counts)
