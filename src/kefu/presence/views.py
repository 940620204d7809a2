"""The presence board: every agent of the team with state, time in state and chats held (team leads)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kefu.presence.selectors import board_rows
from kefu.web.htmx import page, render


@login_required
@page
def board(request):
    if not request.user.can_supervise():
        raise PermissionDenied
    return render(request, "presence/board.html", {"rows": board_rows(request.user, now=timezone.now())})
