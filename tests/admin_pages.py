"""Reading admin pages in tests as a person reads them: the text of the
main content, without scripts, templates and icons."""

import re

from lxml import html as lxml_html


def main_element(response):
    document = lxml_html.fromstring(response.content.decode())
    main = document.find(".//main")
    element = main if main is not None else document
    for node in element.xpath(".//script|.//template|.//svg|.//style"):
        node.drop_tree()
    return element


def visible_text(response):
    return re.sub(r"\s+", " ", main_element(response).text_content()).strip()


def links(response):
    """(text, href) of every link in the main content."""
    return [(re.sub(r"\s+", " ", a.text_content()).strip(), a.get("href")) for a in main_element(response).iter("a")]
