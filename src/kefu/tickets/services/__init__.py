"""Every state change of a ticket; the API, admin, CLI, demo loader and tasks call these and nothing else."""

from kefu.tickets.services.bulk import BulkResult, bulk_assign
from kefu.tickets.services.changes import (
    assign_ticket,
    dispatch_ticket,
    reopen_ticket,
    transition_ticket,
    update_ticket,
)
from kefu.tickets.services.complaints import override_close, record_complaint_findings
from kefu.tickets.services.create import TicketInput, create_ticket
from kefu.tickets.services.field import complete_field_work, record_arrival
from kefu.tickets.services.followups import complete_follow_up
from kefu.tickets.services.messages import add_message
from kefu.tickets.services.privacy import reveal_contact_phone
from kefu.tickets.services.referrals import decide_referral, refer_to_manager
from kefu.tickets.services.relations import link_tickets, merge_ticket, set_parent

__all__ = [
    "BulkResult", "TicketInput", "add_message", "assign_ticket", "bulk_assign", "complete_field_work",
    "complete_follow_up", "create_ticket", "decide_referral", "dispatch_ticket", "link_tickets",
    "merge_ticket", "override_close", "record_arrival", "record_complaint_findings", "refer_to_manager",
    "reopen_ticket", "reveal_contact_phone", "set_parent", "transition_ticket", "update_ticket",
]
