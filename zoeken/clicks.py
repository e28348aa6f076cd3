"""Which search result a searcher opened: the top tasks on the websites'
home pages and the agents' top questions are counted from these clicks.

A click counts only with the token of the search that showed the result:
every logged search hands out a signed token (the log's id and the results
it showed, kind:id), and a click is recorded when the token is valid, the
clicked entry was among those results and the search had no click yet.
The origin (site, widget, API) is the one the server logged the search
under; a client cannot choose it. A further page of the same search is not
logged again: sent with the token of the page before, it answers with that
token extended by its own results."""

import re

from django.core import signing
from django.utils import timezone

from sharing.kinds import kind_names

from .models import SearchQuery

SALT = "zoeken.click"
MAX_AGE = 24 * 60 * 60  # seconds a search's results stay clickable
MAX_TOKEN_LENGTH = 20_000  # up to 1,000 results (zoeken.service.MAX_OFFSET), compressed
MAX_ID = 2**63 - 1  # a BigAutoField
TOKEN = re.compile(r"[A-Za-z0-9_:.\-]+")


class InvalidClick(ValueError):
    """The click is not one a search handed out; the message says why."""


def click_token(log_id, hits, earlier=()):
    keys = list(dict.fromkeys([*earlier, *(f"{hit.kind}:{hit.id}" for hit in hits)]))
    return signing.dumps([log_id, keys], salt=SALT, compress=True)


def extended_token(token, result, *, origins, gemeente):
    """The token of an earlier page of this search (same gemeente, origin and
    query) with this page's results added; None when it is not one."""
    try:
        log_id, keys = _load(token)
    except InvalidClick:
        return None
    if not SearchQuery.objects.filter(pk=log_id, origin__in=origins, gemeente=gemeente, normalised=result.query).exists():
        return None
    return click_token(log_id, result.hits, keys)


def _load(token):
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or not TOKEN.fullmatch(token):
        raise InvalidClick("token ontbreekt of is ongeldig")
    try:
        log_id, keys = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidClick("token is ongeldig of verlopen") from exc
    return log_id, keys


def entry_key(kind, entry_id):
    """"kind:id" of an entry of a registered kind, or InvalidClick."""
    names = kind_names()
    if kind not in names:
        raise InvalidClick(f"kind moet {' of '.join(names)} zijn")
    if type(entry_id) is not int or not 1 <= entry_id <= MAX_ID:
        raise InvalidClick("id moet een positief geheel getal zijn")
    return f"{kind}:{entry_id}"


def record_click(token, kind, entry_id, *, origins, gemeente=None):
    """Record the click once; True when it was recorded, False when the
    search already had one. InvalidClick when the token is not valid (forged,
    expired, another origin's) or the entry was not among its results."""
    key = entry_key(kind, entry_id)
    log_id, results = _load(token)
    if key not in results:
        raise InvalidClick("dit resultaat hoorde niet bij deze zoekvraag")
    logs = SearchQuery.objects.filter(pk=log_id, origin__in=origins)
    if gemeente is not None:
        logs = logs.filter(gemeente=gemeente)
    if not logs.exists():
        raise InvalidClick("token hoort niet bij dit kanaal")
    return bool(logs.filter(clicked="").update(clicked=key, clicked_at=timezone.now()))
