"""The Content-Security-Policy of every page (django-csp).

One strict policy (kennisbank/settings/base.py, CONTENT_SECURITY_POLICY):
only our own origin, scripts and <style> blocks only from files or with
the response's nonce, no inline event handlers or style attributes.
CONTENT_SECURITY_POLICY_PATHS replaces single directives for the paths
that need something else (the first prefix that matches); why each one
is there is written next to it in the settings."""

from csp.middleware import CSPMiddleware
from django.conf import settings


def path_directives(path):
    for prefix, directives in settings.CONTENT_SECURITY_POLICY_PATHS:
        if path.startswith(prefix):
            return directives
    return {}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        directives = path_directives(request.path_info)
        if directives and not report_only:
            parts.replace = {**directives, **(parts.replace or {})}
        return parts
