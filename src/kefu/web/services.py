"""Saved views: keep and drop a person's named filters."""

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import NotFound, ValidationFailed
from kefu.web.models import SavedView

MAX_VIEWS_PER_PAGE = 20


@transaction.atomic(durable=True)
def save_view(*, actor: User, page: str, name: str, query: str) -> SavedView:
    """Save (or overwrite, by name) the filters of a list page for this person."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the view a name."), code="required", field="name")
    if len(name) > 50:
        raise ValidationFailed(_("This value is too long."), code="too_long", field="name")
    # Keep only real filters: no page number, no empty values, in a stable order.
    pairs = sorted((k, v) for k, v in parse_qsl(query or "") if v and k not in ("page", "csrfmiddlewaretoken"))
    clean = urlencode(pairs)
    if len(clean) > 500:
        raise ValidationFailed(_("This value is too long."), code="too_long", field="query")
    existing = SavedView.objects.filter(user=actor, page=page, name=name).first()
    if existing:
        existing.query = clean
        existing.save(update_fields=["query"])
        return existing
    if SavedView.objects.filter(user=actor, page=page).count() >= MAX_VIEWS_PER_PAGE:
        raise ValidationFailed(_("At most %(n)s saved views per page.") % {"n": MAX_VIEWS_PER_PAGE},
                               code="too_many", field="name")
    return SavedView.objects.create(user=actor, page=page, name=name, query=clean)


@transaction.atomic(durable=True)
def delete_view(*, actor: User, view_id: int) -> None:
    """Remove one of the person's own saved views."""
    deleted, _count = SavedView.objects.filter(user=actor, pk=view_id).delete()
    if not deleted:
        raise NotFound(_("No such saved view."), field="view")
