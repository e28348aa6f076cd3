"""Take the screenshots in docs/screenshots from a running demo
(`make demo` in another terminal), with Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--base http://localhost:8000]
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def login(page, base, username, password, lands="/admin/"):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{lands}")


def shoot(page, url, name, full_page=True):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(f"  {name}.png  ← {url}")


def shoot_widget(browser, base, password):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    login(page, base, "kcc", password, lands="/widget/")  # agents land on the widget
    widget_answer(page, "paspoort aanvragen", "widget-werkplek")
    page.goto(f"{base}/widget/demo/?gemeente=bergen-op-zoom")  # preset by the line called
    widget_answer(page, "paspoort kwijt", "widget")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.keyboard.type("vergunning")
    page.wait_for_timeout(1500)
    page.locator("kennis-widget #more").click()
    page.wait_for_timeout(1500)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky search bar in its own place on the full page
    page.screenshot(path=str(OUT / "widget-meer-resultaten.png"), full_page=True)
    print("  widget-meer-resultaten.png")


def shoot_regional(browser, base, password, product):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    login(page, base, "regio", password)
    shoot(page, f"{base}/admin/", "dashboard-regio", full_page=False)
    shoot(page, f"{base}/admin/snippets/pdc/product/edit/{product}/", "gedeeld-product-regio", full_page=False)
    page.close()


def widget_answer(page, query, name):
    """The widget's answer to the first result for `query` (the agent's view)."""
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_timeout(1500)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"  {name}.png")


def shoot_english(browser, base, password):
    """The English pages (issue 14) and the SDG completeness report."""
    port = base.rsplit(":", 1)[-1]
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="en-GB")
    shoot(page, f"http://roosendaal.localhost:{port}/en/producten/paspoort/", "english-paspoort-roosendaal")
    shoot(page, f"http://roosendaal.localhost:{port}/en/", "english-home-roosendaal", full_page=False)
    shoot(page, f"http://roosendaal.localhost:{port}/en/a-z/", "english-a-z-roosendaal", full_page=False)
    shoot(page, f"http://roosendaal.localhost:{port}/a-z/p/?doelgroep=ondernemer", "a-z-ondernemer-roosendaal", full_page=False)
    page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    login(page, base, "redactie-roosendaal", password)
    shoot(page, f"{base}/admin/redactie/sdg/?gemeente=roosendaal", "sdg-volledigheid-roosendaal", full_page=False)
    page.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://localhost:8000")
    parser.add_argument("--user", default="redactie-roosendaal")
    parser.add_argument("--password", default="kennisbank-demo")
    parser.add_argument("--product", required=True, help="pk of the shared passport product")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
        login(page, args.base, args.user, args.password)
        shoot(page, f"{args.base}/admin/lokaal/product/{args.product}/roosendaal/", "override-editor-roosendaal")
        shoot(page, f"{args.base}/admin/lokaal/?gemeente=roosendaal", "lokaal-beheer-roosendaal")
        shoot(page, f"{args.base}/admin/lokaal/product/{args.product}/roosendaal/procedure_nl/", "override-field-editor")
        shoot(page, f"{args.base}/admin/zoeken/rapport/?gemeente=roosendaal", "zoekvragen-roosendaal")
        shoot(page, f"{args.base}/admin/", "dashboard-redactie-roosendaal", full_page=False)
        # A municipal curator opening the shared entry lands on its read-only view.
        shoot(page, f"{args.base}/admin/snippets/pdc/product/edit/{args.product}/", "gedeeld-alleen-lezen", full_page=False)
        shoot(page, f"{args.base}/admin/snippets/feedback/feedback/", "terugkoppeling-lijst", full_page=False)
        shoot_regional(browser, args.base, args.password, args.product)
        port = args.base.rsplit(":", 1)[-1]
        for slug in ("roosendaal", "bergen-op-zoom", "etten-leur"):
            shoot(page, f"http://{slug}.localhost:{port}/", f"site-{slug}", full_page=False)
            shoot(page, f"http://{slug}.localhost:{port}/producten/paspoort/", f"paspoort-{slug}", full_page=False)
        shoot(page, f"http://roosendaal.localhost:{port}/zoeken/?q=paspoord", "zoeken-roosendaal", full_page=False)
        shoot(page, f"http://roosendaal.localhost:{port}/contact/", "contact-roosendaal", full_page=False)
        shoot(page, f"http://etten-leur.localhost:{port}/producten/parkeervergunning/", "niet-aangeboden-etten-leur", full_page=False)
        shoot_widget(browser, args.base, args.password)
        shoot_english(browser, args.base, args.password)
        browser.close()


if __name__ == "__main__":
    main()
