"""Customer archive screens (客户档案): find a customer by name, phone or reference; one record with every
channel's tickets; phones and ID numbers masked with a logged reveal."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.core.pii import mask_id_number
from kefu.customers import selectors, services
from kefu.customers.panels import panels_for
from kefu.web.htmx import error_context, page, render


def _no_crews(user):
    if user.works_in_field():
        raise PermissionDenied  # a crew sees the address on its work order, not the archive


@login_required
def customer_list(request):
    _no_crews(request.user)
    # Searching by phone posts the form, so that the number stays out of URLs, history and access logs.
    g = request.POST if request.method == "POST" else request.GET
    context = {"q": g.get("q", ""), "phone": g.get("phone", ""), "reference": g.get("reference", "")}
    status = 200
    try:
        total, customers = selectors.search_customers(request.user, q=context["q"], phone=context["phone"],
                                                      reference=context["reference"])
    except ServiceError as exc:
        total, customers, status = 0, [], exc.status
        context.update(error_context(exc))
    context.update(total=total, customers=customers)
    return render(request, "customers/list.html", context, partial="customers/partials/results.html",
                  status=status)


@login_required
@page
def customer_detail(request, customer_id: int):
    _no_crews(request.user)
    customer = selectors.get_customer(request.user, customer_id)
    return render(request, "customers/detail.html", {
        "customer": customer, "masked_id": mask_id_number(customer.id_number),
        "history": customer.status_changes.select_related("actor"), "can_reveal": request.user.can_reveal_pii(),
        "panels": panels_for(request.user, customer),
    })


@login_required
@require_POST
@page
def reveal(request, customer_id: int, contact_id: int | None = None):
    """A full phone or ID number for a role with the right; every reveal is in the audit log (CU6)."""
    customer = selectors.get_customer(request.user, customer_id)
    try:
        value = services.reveal_pii(actor=request.user, customer=customer, contact_id=contact_id,
                                    reason=request.POST.get("reason", "")[:200] or "web")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return HttpResponse(format_html('<span class="form-error" role="alert">{}</span>', exc.message),
                            status=exc.status)
    return HttpResponse(format_html('<span data-testid="revealed">{}</span>', value))
