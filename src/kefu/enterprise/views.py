"""The enterprise page: graded customers, assurance periods with their hours, inspections due."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.enterprise import PACK, selectors
from kefu.packs import is_enabled
from kefu.web.htmx import page, render


@login_required
@page
def index(request):
    if not is_enabled(PACK):
        raise Http404
    user = request.user
    if user.role not in CAN_SUPERVISE and user.role != Role.ACCOUNT_MANAGER:
        raise PermissionDenied
    now = timezone.now()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return render(request, "enterprise/index.html", {
        "profiles": selectors.profiles(user), "report": selectors.assurance_report(year_start, now + timedelta(
            days=366)), "due": selectors.inspections_due(timezone.localdate() + timedelta(days=30)),
        "year": now.year})
