"""The callback rules a new center starts with: every resolved ticket is called back except an inquiry
answered on the spot (complaints and emergency repairs are called back whatever the rules say)."""

DEFAULT_RULES = [
    {"type": "inquiry", "enabled": False, "position": 10},
    {"type": "callback", "enabled": False, "position": 20},  # a 回访 ticket is itself the call
    {"type": None, "enabled": True, "position": 1000},
]


def install_default_rules(CallbackRule, TicketType) -> None:
    """Install the defaults into an empty rule table (historical models welcome); never touches edited rules."""
    if CallbackRule.objects.exists():
        return
    types = {t.code: t for t in TicketType.objects.all()}
    for rule in DEFAULT_RULES:
        if rule["type"] is not None and rule["type"] not in types:
            continue
        CallbackRule.objects.create(ticket_type=types.get(rule["type"]), enabled=rule["enabled"],
                                    position=rule["position"])
