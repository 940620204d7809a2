"""The utility panel on the ticket page and the customer page: accounts, meters, balances, open cases."""

from django.utils import timezone

from kefu.utility.models import AbnormalCase


def _context(user, customer_id: int | None) -> dict | None:
    from kefu.utility.selectors import accounts_of_customer, lifespans

    if customer_id is None:
        return None
    accounts = accounts_of_customer(user, customer_id)
    if not accounts:
        return None
    today, years = timezone.localdate(), lifespans()
    rows = [{"account": a, "owed_fen": getattr(getattr(a, "arrears", None), "amount_fen", 0),
             "meters": [{"meter": m, "age": round(m.age_years(today), 1),
                         "due": m.age_years(today) >= years.get(m.kind, 99),
                         "open_cases": [c for c in m.abnormal_cases.all() if c.is_open]}
                        for m in a.meters.all()]} for a in accounts]
    return {"utility_accounts": rows}


def ticket_panel(user, ticket, page: dict) -> dict | None:
    """Accounts of the ticket's customer, and the abnormal-meter case this ticket was raised for."""
    ctx = _context(user, ticket.customer_id) or {}
    case = AbnormalCase.objects.filter(ticket_id=ticket.pk).select_related("meter").first()
    if case:
        from kefu.utility.models import AbnormalCase as Case

        ctx.update({"utility_case": case, "outcomes": Case.Outcome.choices})
    return ctx or None


def customer_panel(user, customer) -> dict | None:
    return _context(user, customer.pk)
