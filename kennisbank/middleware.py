"""Middleware of the project itself."""

import time


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>`: the time Django spent on the
    request, from this middleware in to the response out (every other
    middleware, the view and the template rendering included; not the WSGI
    server's own parsing and writing). For measurements such as
    bench/pages.py; a timing a view already set (search;dur) is kept.

    Only installed when SERVER_TIMING=1 (kennisbank/settings/base.py): it
    tells every client how long each request took."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        existing = response.get("Server-Timing")
        response["Server-Timing"] = f"{existing}, {timing}" if existing else timing
        return response
