"""Issue 16: search documents are built from the typed resolved entry and
its kind (sections, agent fields, URL prefix), for every registered kind,
and stay as they were indexed before: the pinned documents below are what
the kind-specific code produced (an empty section keeps its place in the
body's join, as it did)."""

import pytest

from kennis.models import AgentNote
from sharing.resolution import AGENT, PUBLIC, resolve
from tests.factories import make_gemeente, make_product, make_vac
from tests.nieuws.models import NewsItem
from zoeken.documents import build_document

pytestmark = pytest.mark.django_db


def test_a_products_document_follows_its_sections_in_order_and_its_agent_fields():
    gemeente = make_gemeente("Roosendaal")
    product = make_product(
        slug="paspoort-aanvragen",
        title_nl="Paspoort aanvragen",
        summary_nl="Een <b>paspoort</b> &amp; meer",
        keywords="reisdocument, pas",
        description_nl="<p>Een reisdocument.</p>",
        procedure_nl="<p>Maak een afspraak.</p><p>Kom langs.</p>",
        costs_nl="<p>€ 80</p>",
        handling_level="intake",
    )
    AgentNote.objects.create(kind="intake", title="Vraag naar het BSN", body="<p>Altijd <b>eerst</b>.</p>", product=product)

    public = build_document(resolve(product, gemeente, channel=PUBLIC))
    agent = build_document(resolve(product, gemeente, channel=AGENT))

    assert public == {
        "gemeente": gemeente.slug,
        "kind": "product",
        "entry_id": product.pk,
        "slug": "paspoort-aanvragen",
        "url": "/producten/paspoort-aanvragen/",
        "local": False,
        "offered": True,
        "audiences": public["audiences"],
        "themes": [],
        "title": "Paspoort aanvragen",
        "suggest": "Paspoort aanvragen",
        "keywords": "reisdocument pas",
        "summary": "Een paspoort & meer",
        "body": "Een reisdocument.  Maak een afspraak. Kom langs.  € 80",
        "has_content": True,
    }
    assert agent == {**public, "agent_text": "intake Vraag naar het BSN Altijd eerst."}


def test_a_vacs_document_has_its_answer_as_body_and_the_internal_explanation_for_agents():
    gemeente = make_gemeente("Roosendaal")
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", answer_nl="<p>Doe aangifte.</p>", internal_explanation="<p>Vraag naar de datum.</p>")

    public = build_document(resolve(vac, gemeente, channel=PUBLIC))
    agent = build_document(resolve(vac, gemeente, channel=AGENT))

    assert (public["kind"], public["url"], public["title"], public["body"]) == ("vac", "/vragen/paspoort-kwijt/", "Paspoort kwijt?", "Doe aangifte.")
    assert "agent_text" not in public
    assert agent["agent_text"] == "Vraag naar de datum."


def test_a_kind_without_rich_agent_text_or_notes_gets_the_same_document_fields():
    gemeente = make_gemeente("Roosendaal")
    item = NewsItem.objects.create(
        slug="zaterdag-open", title="Ook op zaterdag open", body="<p>Vanaf januari.</p>", agent_hint="Een proef, <niet> melden.", live=True
    )
    product = make_product()

    news = build_document(resolve(item, gemeente, channel=AGENT))

    assert news.keys() == build_document(resolve(product, gemeente, channel=AGENT)).keys()
    assert (news["kind"], news["url"], news["body"]) == ("nieuws", "/nieuws/zaterdag-open/", "Vanaf januari.")
    assert news["agent_text"] == "Een proef, <niet> melden.", "plain text is not read as HTML"
