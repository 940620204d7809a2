"""The in-transaction listeners of ticket events, in the order they run: the one place that decides it.

Each entry is the label of an app that registers a listener from its AppConfig.ready() with
`kefu.tickets.events.listen(label, fn, codes=…)`. A listener runs inside the transaction of the change, after
the event row is written, and calls only its app's private `do_*` helpers; events those helpers write are
heard once the current event's listeners have all returned (never re-entrantly). Registering an app that is
not listed here fails at start-up, so adding one is a reviewed, one-line change of this tuple.

Why this order: the SLA clocks first (their follow-up tasks and escalations are part of the change itself),
then callbacks (a resolution schedules its callback), then the report facts that read callback and survey
events, search, which only marks what to re-index after the commit, the screen pop a new ticket closes,
the in-app notices (field work done, a manager's referral and decision);
the enterprise pack last, which only arranges what happens after the commit (green-channel routing, the
account manager's notice).
"""

ORDER: tuple[str, ...] = (
    "sla",
    "callbacks",
    "reports",
    "search",
    "cti",
    "notify",
    "enterprise",
)
