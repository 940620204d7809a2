"""Names and phone numbers typed into a search stay out of URLs (PIPL; issue 26 item 6).

A URL's query string is written to every proxy's and server's access log and to the browser history, so a
search for "王小明" or "13812341234" would leave the person there. Search forms therefore post their fields
(with the marker field `_private`); this middleware keeps the private ones (`PRIVATE`) in the session under a
short random token and answers with the same page at `?s=<token>&…other filters…` (a 303 for a plain form;
for htmx the page itself, with HX-Push-Url naming that address). A later GET with `s=` gets the private fields
back into request.GET, so views read them as before; `request.public_GET` is the query without them, for
building links (kefu's `with_page` uses it). A GET that still carries such a field (an old bookmark) is
answered with a redirect to its token address. The API is not touched: it takes these in POST bodies.
"""

import secrets

from django.http import HttpResponseRedirect, QueryDict

PRIVATE = ("q", "phone")
MARKER = "_private"
SESSION_KEY = "kefu_private_queries"
KEEP = 20  # tokens per session; the oldest is forgotten first


def _remember(request, values: dict) -> str:
    token = secrets.token_urlsafe(6)
    saved = dict(request.session.get(SESSION_KEY) or {})
    saved[token] = values
    while len(saved) > KEEP:
        saved.pop(next(iter(saved)))
    request.session[SESSION_KEY] = saved
    return token


def _split(params: QueryDict) -> tuple[QueryDict, dict]:
    public = params.copy()
    private = {}
    for key in PRIVATE:
        values = [v for v in public.pop(key, []) if v.strip()]
        if values:
            private[key] = values[-1]
    return public, private


class PrivateQueryMiddleware:
    """See the module's docstring (after the session and authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(("/api/", "/static/")) or not hasattr(request, "session"):
            return self.get_response(request)
        if request.method == "POST" and MARKER in request.POST:
            return self._posted_search(request)
        if request.method == "GET":
            public, private = _split(request.GET)
            if private:  # a private word in the address: move it out, once
                public.pop("s", None)
                public["s"] = _remember(request, private)
                return HttpResponseRedirect(f"{request.path}?{public.urlencode()}")
            token = request.GET.get("s")
            if token:
                self._restore(request, token)
        return self.get_response(request)

    def _posted_search(self, request):
        params = QueryDict(mutable=True)
        for key, values in request.POST.lists():
            chosen = [v for v in values if v != ""]  # an empty field is a filter not chosen: not in the address
            if key not in (MARKER, "csrfmiddlewaretoken") and chosen:
                params.setlist(key, chosen)
        public, private = _split(params)
        if private:
            public["s"] = _remember(request, private)
        address = f"{request.path}?{public.urlencode()}" if public else request.path
        if request.headers.get("HX-Request") != "true":
            return HttpResponseRedirect(address, status=303)
        # htmx: answer with the page for that address at once (a search is a read, served as the GET it stands
        # for), and tell htmx which address to show.
        request.method = "GET"
        request.GET = public
        request.META["QUERY_STRING"] = public.urlencode()
        self._restore(request, public.get("s", ""))
        response = self.get_response(request)
        response["HX-Push-Url"] = address
        return response

    @staticmethod
    def _restore(request, token: str) -> None:
        public = request.GET.copy()
        request.public_GET = public
        values = (request.session.get(SESSION_KEY) or {}).get(token) if token else None
        if values:
            full = public.copy()
            for key, value in values.items():
                full[key] = value
            request.GET = full
