"""The enterprise panel on the customer page: grading, green channel, account manager, assurance, inspections."""

from django.utils import timezone


def customer_panel(user, customer) -> dict | None:
    from kefu.enterprise.models import AssurancePeriod, EnterpriseProfile, InspectionPlan

    profile = EnterpriseProfile.objects.filter(customer=customer).first()
    if profile is None:
        return None
    now = timezone.now()
    return {"profile": profile,
            "assurances": list(AssurancePeriod.objects.filter(customer=customer, ends_at__gte=now)[:3]),
            "plans": list(InspectionPlan.objects.filter(customer=customer, active=True)[:3])}
