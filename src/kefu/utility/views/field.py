"""The meter reader's day on a phone: routes in walking order, entries kept offline and sent once."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kefu.accounts.roles import Role
from kefu.utility import selectors
from kefu.utility.views.common import day_param, pack_on
from kefu.web.htmx import page, render


@login_required
@page
def day(request):
    """Today's list for the signed-in reader (a supervisor may look at a reader's with ?reader=ID)."""
    pack_on()
    user = request.user
    reader = user
    if user.role != Role.FIELD_CREW:
        if not user.can_supervise():
            raise PermissionDenied
        from kefu.accounts.models import User

        reader = User.objects.filter(pk=request.GET.get("reader") or 0).first() or user
    when = day_param(request.GET.get("day"))
    return render(request, "utility/day.html", {"routes": selectors.day_list(reader, when), "day": when,
                                                "reader": reader, "now": timezone.now()})
