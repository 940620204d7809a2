"""The billing desk: the cashier's shift, payments and top-ups with receipts, hand-over, approvals, daily sales."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import NotFound, ServiceError
from kefu.utility import selectors, services
from kefu.utility.models import Payment, PaymentMethod, ServiceAccount, Shift, ShiftStatus
from kefu.utility.views.common import day_param, fen_param, office
from kefu.web.htmx import form_int, page, render


@login_required
@page
def desk(request):
    office(request.user)
    user = request.user
    shift = Shift.objects.filter(cashier=user, status=ShiftStatus.OPEN).first()
    payments = list(Payment.objects.filter(shift=shift).select_related("account").order_by("-at")) if shift else []
    waiting = list(Shift.objects.filter(status=ShiftStatus.DIFFERENCE).select_related("cashier")) \
        if user.can_see_revenue() else []
    last = Payment.objects.filter(pk=form_int(request.GET.get("receipt"), "receipt") or 0, shift__cashier=user).first()
    return render(request, "utility/desk.html", {
        "shift": shift, "payments": payments, "methods": PaymentMethod.choices, "waiting": waiting,
        "receipt": last, "can_revenue": user.can_see_revenue(),
        "recent": Shift.objects.filter(cashier=user).exclude(status=ShiftStatus.OPEN)[:5]})


def _account_id(user, number: str) -> int:
    account = ServiceAccount.objects.visible_to(user).filter(number=(number or "").strip()).first()
    if account is None:
        raise NotFound(_("No such account number."), code="unknown_account", field="account")
    return account.pk


@login_required
@require_POST
@page
def desk_action(request, name: str):
    """Open the shift, take a payment, top up an IC card, hand over, approve a difference."""
    office(request.user)
    user, post = request.user, request.POST
    receipt = None
    try:
        if name == "open":
            services.open_shift(actor=user)
        elif name in ("pay", "topup"):
            amount = fen_param(post.get("amount"))
            common = {"actor": user, "account_id": _account_id(user, post.get("account")),
                      "method": post.get("method", ""), "amount_fen": amount if amount is not None else 0,
                      "reference": post.get("reference", "")}
            receipt = (services.take_payment(kind=post.get("kind", "bill"), **common) if name == "pay"
                       else services.top_up_ic_card(**common))
        elif name == "close":
            declared = {m: fen_param(post.get(f"declared_{m}")) or 0 for m in PaymentMethod.values}
            services.close_shift(actor=user, shift_id=form_int(post.get("shift_id"), "shift_id") or 0,
                                 version=form_int(post.get("version"), "version") or 0, declared=declared,
                                 reason=post.get("reason", ""))
        elif name == "approve":
            services.approve_difference(actor=user, shift_id=form_int(post.get("shift_id"), "shift_id") or 0,
                                        version=form_int(post.get("version"), "version") or 0)
        else:
            from django.http import Http404

            raise Http404
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("utility:desk")
    messages.success(request, _("Saved."))
    if receipt is not None:
        from django.urls import reverse

        return redirect(f"{reverse('utility:desk')}?receipt={receipt.pk}")
    return redirect("utility:desk")


@login_required
@page
def sales(request):
    """气量销售汇总 of a day: counts and gas volume for everyone at the desk, amounts with the revenue right."""
    office(request.user)
    day = day_param(request.GET.get("day"))
    return render(request, "utility/sales.html", {"summary": selectors.daily_sales(request.user, day), "day": day,
                                                  "kinds": dict(Payment.Kind.choices),
                                                  "methods": dict(PaymentMethod.choices),
                                                  "today": timezone.localdate()})
