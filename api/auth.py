"""Who is asking: the agent signed in to the app (the session cookie) or
the widget on a host page of another origin (`Authorization: Bearer
<widget token>`, widget/models.py). Agent operations need one of the two;
every other operation takes them too (signed-in clients are counted per
account by the rate limits) and answers anonymous clients as well.

A bearer token that is not (or no longer) valid is refused with 401
wherever it is sent, rather than quietly treated as anonymous: the widget
then knows to sign in again. Outside the API the header is never read: a
token does not open the admin or a page."""

from django.conf import settings
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from widget.models import WidgetToken

INVALID_TOKEN = "the widget's sign-in has expired or is not valid; sign in again"


class WidgetTokenAuth(HttpBearer):
    """For the widget on a host page of another origin: a token from the sign-in popup /widget/aanmelden/?origin=<host origin>."""

    def authenticate(self, request, token):
        found = WidgetToken.objects.find(token.strip())
        if found is None:
            raise AuthenticationError(401, INVALID_TOKEN)
        request.user = found.user
        request.widget_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The session of the app's own origin. No CSRF token: the API's POSTs
    take application/json only, which no form of another site can send."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def anonymous(request):
    """Anyone (AnonymousUser is truthy): for operations open to all."""
    return request.user


AGENT = [WidgetTokenAuth(), SessionAuth()]
ANYONE = [*AGENT, anonymous]
# In the OpenAPI document: the operation also answers without credentials.
ANYONE_OPENAPI = {"security": [{}]}
