"""The VAC kind: what the generic layer and the channels know of a VAC
(sharing/kinds.py)."""

from django.db.models import Q

from sharing.kinds import EntryKind, Section

from . import site
from .models import VAC, VACStatus


class VACKind(EntryKind):
    name = "vac"
    label = "Vraag en antwoord"
    label_plural = "Vragen en antwoorden"
    model = VAC
    url_prefix = "vragen"
    api_collection = "vacs"
    title_field = "question"
    sections = (Section("answer", "", "antwoord"),)
    related_fields = ("related_vacs", "related_products")
    taxonomy_fields = ("themes",)
    visibility_columns = ("status",)
    database_search_columns = ("question_nl", "keywords", "answer_nl")
    admin_search_columns = ("question_nl", "question_en", "keywords", "slug")
    template = "website/vac_page.html"
    position = 20
    list_heading = "Veelgestelde vragen"
    list_with_summary = False

    def page_context(self, entries, resolved, entry):
        return site.page_context(entries, resolved, entry)

    def not_offered_links(self, entries, entry):
        return site.not_offered_links(entries, entry)

    def is_public(self, entry):
        return entry.status == VACStatus.ACTIEF

    def public_filter(self):
        return Q(status=VACStatus.ACTIEF)

    def fixed_fields(self, entry):
        return {"status": entry.status, "departments": [d.name for d in entry.departments.all()]}

    draft_columns = ("question_nl", "answer_nl")

    def new_draft(self, values, gemeente, user):
        from .drafts import new_draft

        return new_draft(values, gemeente, user)

    objecttype = "vac"
    objecttype_summary = "VAC's in de vorm van het VAC-objecttype (KISS)"

    @property
    def objecttype_schema(self):
        from .objecttypes import VACObject

        return VACObject

    def objecttype_records(self, entries, gemeente, base):
        from .objecttypes import vac_records

        return vac_records(entries, gemeente, base)


VAC_KIND = VACKind()
