"""Content-Security-Policy (django-csp): a strict policy on the municipal
sites, the widget's pages and the admin's sign-in; the Wagtail admin's
relaxations stay under /admin/. In Chromium no page reports a violation,
while an injected inline script is refused."""

import re

import pytest

from gemeenten.models import Role
from tests.factories import make_gemeente, make_user, municipal_curator, regional_curator
from tests.test_widget import signed_in_page, world  # noqa: F401  (fixtures)

HEADER = "Content-Security-Policy"
HOST = "https://kcc.example.nl"


def directives(response):
    policy = response[HEADER]
    return {name: value.split() for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))}


def nonce_of(response):
    found = [value for value in directives(response)["style-src"] if value.startswith("'nonce-")]
    return found[0][len("'nonce-"):-1] if found else None


# --- the headers (Django's test client) --------------------------------------


@pytest.mark.django_db
def test_site_pages_get_the_strict_policy_with_a_fresh_nonce(client, demo):
    first = client.get("/", HTTP_HOST="roosendaal.localhost")
    policy = directives(first)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"] and policy["frame-ancestors"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[kind] and "'unsafe-eval'" not in policy[kind]
    nonce = nonce_of(first)
    assert nonce and f'<style nonce="{nonce}">:root' in first.content.decode(), "the house colours carry the nonce"
    assert nonce_of(client.get("/", HTTP_HOST="roosendaal.localhost")) != nonce, "a new nonce for every response"
    # Every <script> and <style> element of the page carries it.
    html = first.content.decode()
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag or 'type="application/json"' in tag, tag


@pytest.mark.django_db
def test_the_widgets_pages_are_strict_and_the_popup_is_never_framed(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [HOST]
    popup = client.get("/widget/aanmelden/", {"origin": HOST})
    assert directives(popup)["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives(popup)["script-src"]
    client.force_login(make_user(Role.AGENT, make_gemeente()))
    demo_page = client.get("/widget/demo/")
    assert "'unsafe-inline'" not in directives(demo_page)["style-src"]
    assert f'<style nonce="{nonce_of(demo_page)}">' in demo_page.content.decode()


@pytest.mark.django_db
def test_the_admin_alone_allows_inline_code_and_its_sign_in_does_not(client):
    sign_in = directives(client.get("/admin/login/"))
    assert "'unsafe-inline'" not in sign_in["script-src"] and "'unsafe-inline'" not in sign_in["style-src"]
    client.force_login(regional_curator())
    admin = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"] and "'unsafe-inline'" in admin["style-src"]
    assert not any(value.startswith("'nonce-") for value in admin["script-src"] + admin["style-src"]), (
        "a nonce would switch 'unsafe-inline' off"
    )
    assert admin["default-src"] == ["'self'"] and admin["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_api_answers_carry_the_policy_too(client):
    response = client.get("/api/v1/gemeenten")
    assert directives(response)["default-src"] == ["'self'"]


# --- in Chromium -------------------------------------------------------------


def collect_violations(page):
    """Chromium reports every refused script, style, image or connection on the console."""
    found = []
    page.on("console", lambda message: found.append((page.url, message.text)) if "Content Security Policy" in message.text else None)
    return found


def visit(page, address):
    response = page.goto(address)
    assert response.status == 200, (address, response.status)
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_reports_a_violation_in_chromium(browser, world, settings):  # noqa: F811
    settings.CORS_ALLOWED_ORIGINS = [HOST]
    port = world["url"].rsplit(":", 1)[1]
    site = f"http://roosendaal.localhost:{port}"
    passport = world["passport"]

    # The widget on its demo page, signed in as the agent: search, open an answer.
    page = signed_in_page(browser, world)
    violations = collect_violations(page)
    visit(page, f"{world['url']}/widget/demo/")
    widget = page.locator("kennis-widget")
    widget.locator("#q").fill("paspoort")
    widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
    widget.locator("#entry h2", has_text="Paspoort aanvragen").wait_for()
    assert widget.locator("#q").evaluate("(el) => getComputedStyle(el).borderTopStyle") == "solid", "the widget's own styles apply"
    # A site page, a product and the search page; the sign-in popup.
    for path in ("/", "/producten/paspoort/", "/vragen/paspoort-kwijt/", "/a-z/", "/themas/", "/contact/", "/zoeken/?q=paspoort"):
        visit(page, site + path)
    for address in (f"{world['url']}/widget/", f"{world['url']}/widget/aanmelden/?origin={HOST}"):
        visit(page, address)
    assert page.locator("h1").is_visible()
    page.context.close()

    # The admin as the curators who work in it: dashboard, a snippet's edit form, the side-by-side editor.
    curator = municipal_curator(world["roosendaal"])
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    violations += collect_violations(page)
    visit(page, f"{world['url']}/admin/login/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{world['url']}/admin/")
    page.wait_for_load_state("networkidle")
    for address in (f"/admin/snippets/pdc/product/edit/{passport.pk}/", f"/admin/lokaal/product/{passport.pk}/roosendaal/", "/admin/widgetaanmeldingen/"):
        visit(page, world["url"] + address)
    page.context.close()
    assert violations == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_injected_inline_script_is_refused(browser, world):  # noqa: F811
    """The other side: the policy is enforced and its violations do reach the console."""
    port = world["url"].rsplit(":", 1)[1]
    page = browser.new_context(locale="nl-NL").new_page()
    violations = collect_violations(page)
    visit(page, f"http://roosendaal.localhost:{port}/producten/paspoort/")
    with pytest.raises(Exception):
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("() => window.injected") is None
    page.wait_for_timeout(200)
    assert any("inline script" in text for _, text in violations)
    page.context.close()
