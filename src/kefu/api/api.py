"""The REST API root: /api/v1/, OpenAPI document at /api/docs."""

from ninja import NinjaAPI

from kefu.api import errors
from kefu.api.auth import AUTH

api = NinjaAPI(
    title="kefu API",
    version="1.0.0",
    description="kefu 客服 — tickets, customers and the center's organisation. "
                "Authenticate with `Authorization: Bearer <token>` (see `kefu user token`).",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)

# Routers are added here, one per app, in a fixed order so the OpenAPI document is stable.
from kefu.accounts.api import router as accounts_router  # noqa: E402
from kefu.audit.api import router as audit_router  # noqa: E402
from kefu.briefing.api import router as briefing_router  # noqa: E402
from kefu.callbacks.api import router as callbacks_router  # noqa: E402
from kefu.campaigns.api import router as campaigns_router  # noqa: E402
from kefu.channels.api import router as channels_router  # noqa: E402
from kefu.chat.api import router as chat_router  # noqa: E402
from kefu.cti.api import router as cti_router  # noqa: E402
from kefu.customers.api import router as customers_router  # noqa: E402
from kefu.enterprise.api import router as enterprise_router  # noqa: E402
from kefu.knowledge.api import help_router  # noqa: E402
from kefu.knowledge.api import router as knowledge_router  # noqa: E402
from kefu.kpi.api import router as kpi_router  # noqa: E402
from kefu.memos.api import router as memos_router  # noqa: E402
from kefu.notify.api import router as notify_router  # noqa: E402
from kefu.packs.api import router as packs_router  # noqa: E402
from kefu.phrases.api import router as phrases_router  # noqa: E402
from kefu.presence.api import router as presence_router  # noqa: E402
from kefu.provision.api import router as provision_router  # noqa: E402
from kefu.quality.api import router as quality_router  # noqa: E402
from kefu.reports.api import router as reports_router  # noqa: E402
from kefu.search.api import router as search_router  # noqa: E402
from kefu.sla.api import router as sla_router  # noqa: E402
from kefu.surveys.api import router as surveys_router  # noqa: E402
from kefu.tickets.api import router as tickets_router  # noqa: E402
from kefu.training.api import router as training_router  # noqa: E402
from kefu.utility.api import router as utility_router  # noqa: E402
from kefu.workforce.api import router as workforce_router  # noqa: E402

api.add_router("/v1/", accounts_router)
api.add_router("/v1/customers", customers_router)
api.add_router("/v1/tickets", tickets_router)
api.add_router("/v1/notifications", notify_router)
api.add_router("/v1/sla", sla_router)
api.add_router("/v1/cti", cti_router)
api.add_router("/v1/phrases", phrases_router)
api.add_router("/v1/knowledge", knowledge_router)
api.add_router("/v1/help", help_router)
api.add_router("/v1/memos", memos_router)
api.add_router("/v1/briefings", briefing_router)
api.add_router("/v1/search", search_router)
api.add_router("/v1/callbacks", callbacks_router)
api.add_router("/v1/surveys", surveys_router)
api.add_router("/v1/campaigns", campaigns_router)
api.add_router("/v1/quality", quality_router)
api.add_router("/v1/training", training_router)
api.add_router("/v1/kpi", kpi_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/presence", presence_router)
api.add_router("/v1/chat", chat_router)
api.add_router("/v1/workforce", workforce_router)
api.add_router("/v1/packs", packs_router)
api.add_router("/v1/channels", channels_router)
api.add_router("/v1/audit", audit_router)
api.add_router("/v1/setup", provision_router)
api.add_router("/v1/utility", utility_router)
api.add_router("/v1/enterprise", enterprise_router)
