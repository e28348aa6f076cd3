"""The demo: three municipalities, each on its own site, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from gemeenten.models import Gemeente
from website.models import HomePage

DEMO_GEMEENTEN = {
    # host: (name, CBS code, inhabitants, house colour)
    "roosendaal.localhost": ("Roosendaal", "1674", 78000, "#0b5394"),
    "bergen-op-zoom.localhost": ("Bergen op Zoom", "0748", 65000, "#9d1c20"),
    "etten-leur.localhost": ("Etten-Leur", "0777", 41000, "#1d6b3a"),
}


@pytest.mark.django_db
def test_load_demo_twice_neither_fails_nor_duplicates(demo):
    call_command("load_demo", port=80, stdout=io.StringIO())
    assert Gemeente.objects.count() == 3
    assert HomePage.objects.count() == 3
    assert Site.objects.count() == 4
    assert Site.objects.filter(is_default_site=True).count() == 1


@pytest.mark.django_db
def test_demo_municipalities_have_their_cbs_codes(demo):
    found = {g.name: (g.cbs_code, g.inhabitants) for g in Gemeente.objects.all()}
    assert found == {name: (code, people) for name, code, people, _ in DEMO_GEMEENTEN.values()}


@pytest.mark.django_db
@pytest.mark.parametrize("host", DEMO_GEMEENTEN)
def test_each_municipal_home_page_shows_its_own_name_and_colour(client, demo, host):
    name, _, _, colour = DEMO_GEMEENTEN[host]
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Welkom bij gemeente {name}" in html
    assert f"--huiskleur: {colour}" in html
    others = [other for other, *_ in DEMO_GEMEENTEN.values() if other != name]
    assert not any(f"gemeente {other}" in html for other in others)


@pytest.mark.django_db
def test_portal_lists_the_municipal_sites(client, demo):
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    for host, (name, *_) in DEMO_GEMEENTEN.items():
        assert f'href="http://{host}/"' in html
        assert f"Gemeente {name}" in html


@pytest.mark.django_db
def test_demo_login_reaches_the_admin(client, demo):
    assert client.get("/admin/login/").status_code == 200
    signed_in = client.post("/admin/login/", {"username": "demo", "password": "kennisbank-demo"})
    assert signed_in.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Gemeenten" in response.content.decode()


@pytest.mark.django_db
def test_health_reports_database_and_engine(client):
    body = client.get("/health/").json()
    assert body["database"]["ok"] is True
    assert body["search_engine"]["kind"] in {"none", "opensearch", "elasticsearch"}


@pytest.mark.django_db
def test_a_fourth_municipality_needs_no_code(client, demo):
    out = io.StringIO()
    call_command(
        "add_gemeente", name="Moerdijk", cbs_code="1709", hostname="moerdijk.localhost",
        port=80, colour="#00529b", stdout=out,
    )
    assert "Gemeente Moerdijk (1709)" in out.getvalue()
    html = client.get("/", HTTP_HOST="moerdijk.localhost").content.decode()
    assert "Welkom bij gemeente Moerdijk" in html
    assert "--huiskleur: #00529b" in html
    assert "Moerdijk" in client.get("/", HTTP_HOST="localhost").content.decode()


@pytest.mark.django_db
def test_add_gemeente_rejects_a_bad_cbs_code_and_changes_nothing(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cbs_code"):
        call_command("add_gemeente", name="Nergens", cbs_code="12a", hostname="x.localhost", stdout=io.StringIO())
    assert not Gemeente.objects.filter(name="Nergens").exists()


# The demo answers as production does ----------------------------------------


def dev_settings(**env):
    """Settings of the demo (kennisbank.settings.dev) as a fresh process sees them."""
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings;"
        "print(settings.DEBUG, settings.SERVE_MEDIA, 'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE)"
    )
    clean = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SERVE_MEDIA", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "kennisbank.settings.dev", **env},
        capture_output=True, text=True, check=True,
    )
    return result.stdout.split()


def test_the_demo_shows_the_citizens_pages_not_djangos_debug_pages():
    # DEBUG off unless asked for; static files and uploads (logos) still served.
    assert dev_settings() == ["False", "True", "True"]
    assert dev_settings(DEBUG="1")[0] == "True"


@pytest.mark.django_db
def test_an_unknown_address_is_a_dutch_404_in_the_gemeentes_house_style(client, demo):
    response = client.get("/bestaat-niet/", HTTP_HOST="bergen-op-zoom.localhost")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="nl">' in html and "Pagina niet gevonden" in html
    assert "--huiskleur: #9d1c20" in html and 'alt="Gemeente Bergen op Zoom"' in html
    assert 'href="/contact/"' in html and "Contact met gemeente Bergen op Zoom" in html
    portal = client.get("/bestaat-niet/", HTTP_HOST="localhost")
    assert portal.status_code == 404 and "Pagina niet gevonden" in portal.content.decode()


@pytest.mark.django_db
def test_a_server_error_is_a_plain_dutch_page(client, demo, monkeypatch):
    from website import views

    def broken(page, request):
        raise RuntimeError("kapot")

    monkeypatch.setattr(views, "home", broken)
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="roosendaal.localhost")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="nl">' in html and "Er ging iets mis" in html and "kapot" not in html


@pytest.mark.django_db
def test_load_demo_gives_each_site_its_own_logo_and_favicon_once(client, demo):
    from wagtail.images import get_image_model

    from themes.models import HouseStyle

    call_command("load_demo", port=80, sites_only=True, stdout=io.StringIO())
    assert get_image_model().objects.count() == 6  # run twice, loaded once
    for host, (name, *_) in DEMO_GEMEENTEN.items():
        style = HouseStyle.for_site(Site.objects.get(hostname=host))
        assert (style.logo.title, style.favicon.title) == (f"Logo gemeente {name}", f"Favicon gemeente {name}")
        assert style.logo.is_svg() and style.favicon.is_svg()
