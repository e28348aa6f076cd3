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


def test_one_pass_resolution_for_many_gemeenten_gives_each_gemeente_its_own_documents_byte_for_byte():
    """Issue 15 (342 gemeenten): a shared edit and a rebuild resolve each
    entry once for all gemeenten (zoeken.indexing.documents_across); every
    gemeente's document is exactly the one its own resolution gives, with
    its overrides, variables, opening hours, notes and local entries."""
    import datetime
    import json

    from gemeenten.models import Location, OpeningHours
    from kennis.models import VAC, VACOverride
    from pdc.models import Product, ProductOverride
    from sharing.models import Variable, VariableValue
    from sharing.resolution import CHANNELS, resolve_across, resolve_many, visible_queryset
    from zoeken.indexing import documents_across, documents_for

    gemeenten = [make_gemeente("Roosendaal"), make_gemeente("Etten-Leur"), make_gemeente("Zundert")]
    first, second, third = gemeenten
    fee = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort", fallback="Vraag het de gemeente")
    VariableValue.objects.create(variable=fee, gemeente=first, value="80.10")
    VariableValue.objects.create(variable=fee, gemeente=second, value="75", valid_from=datetime.date(2020, 1, 1))
    VariableValue.objects.create(variable=fee, gemeente=second, value="99", valid_from=datetime.date(2099, 1, 1))
    location = Location.objects.create(gemeente=first, name="Stadskantoor")
    OpeningHours.objects.create(location=location, weekday=0, opens=datetime.time(9), closes=datetime.time(17))
    product = make_product(
        summary_nl="Kost {{ leges.paspoort }}",
        costs_nl="<p>{{ leges.paspoort }}, bel {{ gemeente.telefoon }}; open {{ gemeente.openingstijden }}</p>",
        handling_level="intake",
    )
    other = make_product(title_nl="Rijbewijs", summary_nl="Zonder variabelen")
    make_product(title_nl="Eigen product", gemeente=first)
    make_product(title_nl="Niet gepubliceerd", live=False)
    ProductOverride.objects.create(entry=product, gemeente=second, field_name="summary_nl", value="Eigen tekst van Etten-Leur")
    ProductOverride.objects.create(entry=other, gemeente=third, field_name="offered", value=False)
    # An entry without variables is resolved once and only its overridden fields again per gemeente:
    ProductOverride.objects.create(entry=other, gemeente=first, field_name="title_nl", value="Rijbewijs in Roosendaal")
    ProductOverride.objects.create(entry=other, gemeente=first, field_name="handling_level", value="intake")
    ProductOverride.objects.create(entry=other, gemeente=first, field_name="procedure_nl", value="<p>Eerst <b>bellen</b>.</p>")
    ProductOverride.objects.create(entry=other, gemeente=second, field_name="costs_nl", value="<p>{{ leges.paspoort }}</p>")
    AgentNote.objects.create(kind="intake", title="Rijbewijs gedeeld", product=other)
    AgentNote.objects.create(kind="intake", title="Rijbewijs in Etten-Leur", product=other, gemeente=second)
    AgentNote.objects.create(kind="intake", title="Gedeeld", body="<p>Voor iedereen.</p>", product=product)
    AgentNote.objects.create(kind="intake", title="Alleen Zundert", body="<p>{{ gemeente.telefoon }}</p>", product=product, gemeente=third, sort_order=1)
    Variable.objects.create(key="leges.rijbewijs", kind=Variable.Kind.MONEY, label="Leges rijbewijs", fallback="zie de website")
    vac = make_vac(answer_nl="<p>Bel {{ gemeente.telefoon }}.</p>", internal_explanation="<p>Kost {{ leges.rijbewijs }}, {{ leges.paspoort }}.</p>")
    VACOverride.objects.create(entry=vac, gemeente=first, field_name="answer_nl", value="<p>Kom langs.</p>")

    for channel in CHANNELS:
        for model in (Product, VAC, NewsItem):
            one_pass = {doc_id: doc for doc_id, doc in documents_across(model, model.objects.all(), gemeenten, channel) if doc is not None}
            each = {doc_id: doc for gemeente in gemeenten for doc_id, doc in documents_for(gemeente, channel, model)}
            assert one_pass.keys() == each.keys(), (channel, model)
            assert json.dumps(one_pass, sort_keys=True) == json.dumps(each, sort_keys=True), (channel, model)
            for gemeente in gemeenten:  # the resolved entries too: problems, notes, staleness, modified
                across = {r.id: r for g, _, r in resolve_across(model.objects.all(), gemeenten, channel=channel) if g == gemeente and r}
                assert across == {r.id: r for r in resolve_many(visible_queryset(model, gemeente), gemeente, channel=channel)}, (channel, model, gemeente)

    agent = dict(documents_across(Product, [product], gemeenten, AGENT))
    summaries = [agent[f"{g.slug}:product:{product.pk}"]["summary"] for g in gemeenten]
    assert summaries == ["Kost € 80,10", "Eigen tekst van Etten-Leur", "Kost Vraag het de gemeente"]
    assert "Alleen Zundert" in agent[f"{third.slug}:product:{product.pk}"]["agent_text"]
    assert "Alleen Zundert" not in agent[f"{first.slug}:product:{product.pk}"]["agent_text"]
    assert "Stadskantoor: maandag 09:00–17:00" in agent[f"{first.slug}:product:{product.pk}"]["body"]
    vac_texts = dict(documents_across(VAC, [vac], gemeenten, AGENT))
    assert [vac_texts[f"{g.slug}:vac:{vac.pk}"]["agent_text"] for g in gemeenten] == [
        "Kost zie de website, € 80,10.",
        "Kost zie de website, € 75,00.",
        "Kost zie de website, Vraag het de gemeente.",
    ]
    public = dict(documents_across(Product, [other], gemeenten, PUBLIC))
    assert public[f"{third.slug}:product:{other.pk}"] is None, "not offered in Zundert: no public document"
    titles = [public[f"{g.slug}:product:{other.pk}"]["title"] for g in (first, second)]
    assert titles == ["Rijbewijs in Roosendaal", "Rijbewijs"]
    assert public[f"{second.slug}:product:{other.pk}"]["body"].endswith("€ 75,00")
    agent = dict(documents_across(Product, [other], gemeenten, AGENT))
    assert [agent[f"{g.slug}:product:{other.pk}"]["agent_text"] for g in gemeenten] == [
        "intake Rijbewijs gedeeld",
        "informatie Rijbewijs gedeeld Rijbewijs in Etten-Leur",
        "informatie Rijbewijs gedeeld",
    ]
