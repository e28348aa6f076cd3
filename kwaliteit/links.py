"""The broken-link check: find every outbound http(s) link in entries and
overrides (collect_links), and request each address safely (check_url).

Safe means: only http and https; the host is resolved first and every
address it resolves to must be public (no private, loopback, link-local,
multicast, reserved or unspecified range), and the connection goes to the
address that was checked, so a second DNS answer cannot point it inside;
each redirect is checked the same way before it is followed; every request
has a timeout, and requests are spaced (KWALITEIT_LINKCHECK_INTERVAL)."""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kennisbank.text import is_http_url
from sharing.kinds import kinds
from sharing.models import LocalOwnership

from .models import Link, LinkUse

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "Kennisbank-linkcontrole/1.0"

# -- finding links ---------------------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def links_in(value):
    """The http(s) addresses in a value: the hrefs of rich text, or the
    value itself when it is an address (a link field)."""
    if not isinstance(value, str) or not value:
        return []
    if is_http_url(value.strip()):
        return [value.strip()]
    if "<a" not in value:
        return []
    parser = _Anchors()
    parser.feed(value)
    found = []
    for href in parser.hrefs:
        href = href.strip()
        if is_http_url(href) and href not in found:
            found.append(href)
    return found


def _uses():
    """(url, LinkUse without link) for every link in every kind's entries
    and overrides. A link in an override belongs to the owner of that
    gemeente's local texts of the entry, not to the shared entry's owner."""
    for kind in kinds():
        model = kind.model
        columns = model.overridable_columns()
        for entry in model.objects.all():
            for column in columns:
                for url in links_in(getattr(entry, column, "")):
                    yield url, LinkUse(
                        entry_kind=kind.name, entry_id=entry.pk, entry_title=str(entry)[:255], field_name=column,
                        gemeente_id=entry.gemeente_id, owner_id=entry.owner_id, owner_team_id=entry.owner_team_id,
                    )
        local_owners = {
            (row.entry_id, row.gemeente_id): row for row in LocalOwnership.objects.filter(entry_kind=kind.name)
        }
        for override in kind.override_model.objects.select_related("entry"):
            for url in links_in(override.value):
                entry = override.entry
                local = local_owners.get((entry.pk, override.gemeente_id))
                yield url, LinkUse(
                    entry_kind=kind.name, entry_id=entry.pk, entry_title=str(entry)[:255], field_name=override.field_name,
                    gemeente_id=override.gemeente_id, is_override=True,
                    owner_id=getattr(local, "owner_id", None), owner_team_id=getattr(local, "owner_team_id", None),
                )


@transaction.atomic
def collect_links():
    """Replace the record of where links are used with what the content
    holds now; addresses no longer used go, new ones wait for a check.
    Returns the number of uses."""
    uses = list(_uses())
    urls = {url[:2000] for url, _ in uses}
    existing = dict(Link.objects.filter(url__in=urls).values_list("url", "pk"))
    Link.objects.bulk_create([Link(url=url) for url in urls if url not in existing])
    ids = dict(Link.objects.filter(url__in=urls).values_list("url", "pk"))
    LinkUse.objects.all().delete()
    for url, use in uses:
        use.link_id = ids[url[:2000]]
    LinkUse.objects.bulk_create([use for _, use in uses])
    Link.objects.exclude(pk__in=ids.values()).delete()
    return len(uses)


# -- requesting an address safely ---------------------------------------------------------


class Refused(Exception):
    """An address the checker will not request."""


@dataclass
class Result:
    status: str
    http_status: int | None = None
    detail: str = ""


def is_public_address(address):
    """Whether an IP address may be requested: a global unicast address
    (or one the settings allow: the tests' local server)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if str(ip) in settings.KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES:
        return True
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def public_address(url):
    """(host, port, address to connect to) of an http(s) URL whose host
    resolves only to public addresses; Refused otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("alleen http- en https-adressen")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise Refused("ongeldige poort") from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionError(f"onbekende host {parts.hostname}") from exc
    addresses = [info[4][0] for info in infos]
    refused = [address for address in addresses if not is_public_address(address)]
    if refused or not addresses:
        raise Refused(f"{parts.hostname} wijst naar een niet-openbaar adres ({', '.join(refused)})")
    return parts.hostname, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever DNS answers next."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(url, method, timeout):
    """(status, Location header) of one request, without following redirects."""
    host, port, address = public_address(url)
    parts = urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    try:
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def check_url(url, timeout=None):
    """Request an address (HEAD, or GET where HEAD is not allowed),
    following up to five checked redirects; never raises."""
    timeout = settings.KWALITEIT_LINKCHECK_TIMEOUT if timeout is None else timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location = _request(url, "HEAD", timeout)
            if status in (403, 405, 501):
                status, location = _request(url, "GET", timeout)
            if status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if status < 400:
                return Result(Link.Status.OK, status)
            return Result(Link.Status.BROKEN, status, f"HTTP {status}")
        return Result(Link.Status.BROKEN, status, "te veel doorverwijzingen")
    except Refused as exc:
        return Result(Link.Status.REFUSED, None, str(exc)[:255])
    except (TimeoutError, socket.timeout):
        return Result(Link.Status.UNREACHABLE, None, "geen antwoord binnen de tijd")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Result(Link.Status.UNREACHABLE, None, (str(exc) or type(exc).__name__)[:255])


def check_links(limit=None, interval=None, sleep=time.sleep):
    """Check the links checked longest ago (never checked first), at most
    `limit`, `interval` seconds apart. Returns the number checked."""
    limit = settings.KWALITEIT_LINKCHECK_BATCH if limit is None else limit
    interval = settings.KWALITEIT_LINKCHECK_INTERVAL if interval is None else interval
    links = list(Link.objects.order_by(F("checked_at").asc(nulls_first=True), "pk")[:limit])
    for index, link in enumerate(links):
        if index and interval:
            sleep(interval)
        result = check_url(link.url)
        link.status, link.http_status, link.detail = result.status, result.http_status, result.detail
        link.checked_at = timezone.now()
        link.save(update_fields=["status", "http_status", "detail", "checked_at"])
    return len(links)
