"""The manager's inbox (TK8): requests outside the center's remit that wait for a decision."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from kefu.tickets.selectors import referrals_for
from kefu.web.htmx import render

LIST_LIMIT = 100


@login_required
def inbox(request):
    if not request.user.can_decide_referrals():
        raise PermissionDenied
    pending = list(referrals_for(request.user, state="pending")[:LIST_LIMIT])
    decided = list(referrals_for(request.user, state="decided").order_by("-decided_at")[:20])
    return render(request, "tickets/referrals.html", {"pending": pending, "decided": decided})
