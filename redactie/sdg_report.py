"""The SDG completeness report of one gemeente: of the entries it publishes
that the SDG applies to (a kind's `required_sections` hook names sections
for them), which lack English text (title, summary, required sections:
what the gemeente's English page and the SC feed's English product show)
or have an empty required section. Resolved for this gemeente, so its own
texts count: a local English text fills a gap, a local Dutch text without
English opens one (sharing/resolution.py). A curator sees the gemeenten
they curate; CSV for a spreadsheet."""

import csv
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from gemeenten.models import Gemeente
from kennisbank.text import spreadsheet_cell
from sharing.kinds import kinds
from sharing.permissions import editable_gemeente_ids
from sharing.resolution import PUBLIC, published_queryset, resolve_many

from .links import entry_admin_url, local_view_url

ENGLISH = "en"


@dataclass
class Row:
    kind: object
    entry: object
    title: str
    missing_english: list = field(default_factory=list)  # labels
    empty_required: list = field(default_factory=list)  # labels

    @property
    def complete(self):
        return not self.missing_english and not self.empty_required


def curated_gemeenten(user):
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    return list(gemeenten if ids is None else gemeenten.filter(pk__in=ids))


def label(kind, name):
    section = next((s for s in kind.sections if s.name == name and s.heading), None)
    return section.heading if section else capfirst(kind.model._meta.get_field(name).verbose_name)


def sdg_rows(gemeente):
    """A Row per SDG entry the gemeente publishes, by kind and title."""
    rows = []
    for kind in kinds():
        model = kind.model
        entries = [e for e in published_queryset(model, gemeente).select_related(*model.resolution_select_related) if kind.required_sections(e)]
        if not entries:
            continue
        dutch = {r.id: r for r in resolve_many(entries, gemeente, channel=PUBLIC)}
        english = {r.id: r for r in resolve_many(entries, gemeente, channel=PUBLIC, language=ENGLISH, fallback=False)}
        for entry in entries:
            if entry.pk not in dutch:
                continue
            required = list(kind.required_sections(entry))
            wanted = [name for name in dict.fromkeys([kind.title_field, "summary", *required]) if name in model.translated_fields]
            rows.append(
                Row(
                    kind=kind,
                    entry=entry,
                    title=dutch[entry.pk].title,
                    missing_english=[label(kind, name) for name in wanted if not english[entry.pk].fields.get(name)],
                    empty_required=[label(kind, name) for name in required if not dutch[entry.pk].fields.get(name)],
                )
            )
    return sorted(rows, key=lambda row: (row.kind.position, row.title.lower()))


class SDGReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "redactie/sdg_report.html"
    page_title = "SDG-volledigheid"
    header_icon = "site"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "SDG-volledigheid"}]

    def dispatch(self, request, *args, **kwargs):
        self.gemeenten = curated_gemeenten(request.user)
        if not self.gemeenten:
            raise PermissionDenied
        slug = request.GET.get("gemeente")
        self.gemeente = next((g for g in self.gemeenten if g.slug == slug), None) if slug else self.gemeenten[0]
        if self.gemeente is None:
            raise PermissionDenied  # another gemeente's report, or none
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        rows = sdg_rows(self.gemeente)
        if request.GET.get("formaat") == "csv":
            return sdg_csv(self.gemeente, rows)
        return super().get(request, *args, rows=rows, **kwargs)

    def get_context_data(self, rows, **kwargs):
        everything = self.request.GET.get("alles") == "1"
        shown = rows if everything else [row for row in rows if not row.complete]
        for row in shown:
            row.admin_url = entry_admin_url(row.entry, self.request.user)
            row.local_url = local_view_url(row.entry, self.gemeente, self.request.user)
        return super().get_context_data(
            gemeenten=self.gemeenten,
            gemeente=self.gemeente,
            rows=shown,
            everything=everything,
            total=len(rows),
            complete=sum(1 for row in rows if row.complete),
            without_english=sum(1 for row in rows if row.missing_english),
            with_empty_required=sum(1 for row in rows if row.empty_required),
            **kwargs,
        )


def sdg_csv(gemeente, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sdg-volledigheid-{gemeente.slug}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["gemeente", "soort", "id", "titel", "lokaal item", "zonder Engels", "lege verplichte onderdelen", "volledig"])
    for row in rows:
        writer.writerow(
            [
                spreadsheet_cell(value)
                for value in (
                    gemeente.name,
                    row.kind.name,
                    row.entry.pk,
                    row.title,
                    "ja" if row.entry.gemeente_id else "nee",
                    ", ".join(row.missing_english),
                    ", ".join(row.empty_required),
                    "ja" if row.complete else "nee",
                )
            ]
        )
    return response
