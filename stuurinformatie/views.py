"""The management information page in the admin (per gemeente or the
region, any period) and the CSV export of each of its tables.

Who sees what is decided here, on the server: a regional curator sees
every gemeente and the region; a municipal curator sees their own
gemeente(n), and of the region only the totals (no lists of what other
gemeenten' residents asked)."""

import csv
import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from gemeenten.models import Gemeente
from kennisbank.text import spreadsheet_cell
from sharing.permissions import editable_gemeente_ids

from . import figures
from .charts import bar_chart, line_chart
from .models import FCR_TARGET
from .templatetags.stuurinformatie_tags import percent as percentage

REGION = "regio"
DEFAULT_DAYS = 30
MAX_DAYS = 731


class PeriodForm(forms.Form):
    van = forms.DateField(label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        end = data.get("tot") or timezone.localdate()
        start = data.get("van") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError("De begindatum ligt na de einddatum.")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"Kies een periode van hoogstens {MAX_DAYS} dagen.")
        data["period"] = figures.Period(start, end)
        return data


def default_period():
    end = timezone.localdate()
    return figures.Period(end - datetime.timedelta(days=DEFAULT_DAYS - 1), end)


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list


def allowed_gemeenten(user):
    """(gemeenten the user sees the figures of, whether they see the region's lists too)."""
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    if ids is None:
        return list(gemeenten), True
    return list(gemeenten.filter(pk__in=ids)), False


def chosen_scope(request):
    """The scope asked for, if the user may see it; else 403."""
    gemeenten, region = allowed_gemeenten(request.user)
    if not gemeenten and not region:
        raise PermissionDenied
    asked = request.GET.get("gemeente", "")
    if not asked:
        return (figures.Scope() if region else figures.Scope(gemeenten[0])), gemeenten, region
    if asked == REGION and region:
        return figures.Scope(), gemeenten, region
    found = next((g for g in gemeenten if g.slug == asked), None)
    if found is None:
        raise PermissionDenied("Je mag de stuurinformatie van deze gemeente niet zien.")
    return figures.Scope(found), gemeenten, region


def management_information(request):
    scope, gemeenten, region = chosen_scope(request)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else default_period()
    tables, charts, figures_ = build(scope, period)
    if request.GET.get("csv"):
        table = tables.get(request.GET["csv"])
        if table is None:
            return HttpResponse("Onbekende tabel.", status=404, content_type="text/plain; charset=utf-8")
        return csv_response(table, scope, period)
    regional = region_totals(period) if scope.gemeente is not None else None
    return TemplateResponse(
        request,
        "stuurinformatie/page.html",
        {
            "form": form,
            "scope": scope,
            "period": period,
            "gemeenten": gemeenten,
            "region_allowed": region,
            "region_value": REGION,
            "tables": tables,
            "charts": charts,
            "figures": figures_,
            "regional": regional,
            "target": FCR_TARGET,
            "query": request.GET.urlencode() if request.GET else "",
        },
    )


def region_totals(period):
    """Read-only totals of the whole region, beside a gemeente's figures."""
    region = figures.Scope()
    return {
        "searches": figures.search_totals(region, period),
        "outcomes": figures.outcome_counts(region, period),
        "helpfulness": figures.helpfulness_totals(region, period),
    }


def build(scope, period):
    """The page's tables (each exportable as CSV), charts and key figures."""
    per_day = figures.searches_per_day(scope, period)
    totals = figures.totals_of_days(per_day)
    top = figures.top_questions(scope, period)
    zero = figures.top_zero_queries(scope, period)
    per_entry = figures.outcomes_per_entry(scope, period)
    outcomes = figures.outcome_counts(scope, period)
    per_theme = figures.fcr_per_theme(per_entry)
    fcr_entries = figures.fcr_per_entry(per_entry)
    used = figures.most_used_answers(scope, period, per_entry)
    helpful = figures.helpfulness(scope, period)
    flags = figures.flags(scope, period)
    fresh = figures.freshness(scope)
    coverage = figures.coverage(scope)

    tables = {
        "zoekvragen-per-dag": Table("zoekvragen-per-dag", "Zoekvragen per dag", ["Dag", "Zoekvragen", "Zonder resultaat", "Zonder resultaat (%)"],
                                    [(day.isoformat(), n, z, percentage(figures.rate(z, n))) for day, n, z in per_day]),
        "meest-gezocht": Table("meest-gezocht", "Meest gestelde zoekvragen", ["Zoekvraag", "Aantal", "Met klik"],
                               [(row["normalised"], row["count"], row["clicks"]) for row in top]),
        "zonder-resultaat": Table("zonder-resultaat", "Zoekvragen zonder resultaat", ["Zoekvraag", "Aantal"],
                                  [(row["normalised"], row["count"]) for row in zero]),
        "meest-gebruikt": Table("meest-gebruikt", "Meest gebruikte antwoorden", ["Antwoord", "Soort", "Geopend uit zoeken", "Gekopieerd", "Contactuitkomsten", "Totaal"],
                                [(r["title"], r["kind"], r["opened"], r["copied"], r["contacts"], r["total"]) for r in used]),
        "contactuitkomsten": Table("contactuitkomsten", "Contactuitkomsten", ["Uitkomst", "Aantal"], outcomes["counts"]),
        "fcr-per-thema": Table("fcr-per-thema", "Eerstelijnsoplossing per thema", ["Thema", "Contacten", "Zelf beantwoord", "Eerstelijnsoplossing", f"Doel {FCR_TARGET}% gehaald"],
                               [(r["theme"], r["contacts"], r["resolved"], percentage(r["fcr"]), met(r["fcr"])) for r in per_theme]),
        "fcr-per-antwoord": Table("fcr-per-antwoord", "Eerstelijnsoplossing per antwoord", ["Antwoord", "Soort", "Contacten", "Zelf beantwoord", "Eerstelijnsoplossing", f"Doel {FCR_TARGET}% gehaald"],
                                  [(r["title"], r["kind"], r["contacts"], r["resolved"], percentage(r["fcr"]), met(r["fcr"])) for r in fcr_entries]),
        "nuttig": Table("nuttig", "Vaakst niet nuttig gevonden (inwoners)", ["Antwoord", "Soort", "Nuttig", "Niet nuttig", "Nuttig (%)"],
                        [(r["title"], r["kind"], r["helpful"], r["not_helpful"], percentage(r["share"])) for r in helpful["entries"]]),
        "meldingen": Table("meldingen", "Meldingen van medewerkers naar status en leeftijd", ["Status", "Totaal", *figures.AGES],
                           [(r["status"], r["total"], *r["ages"]) for r in flags]),
        "actualiteit": Table("actualiteit", "Actualiteit: herzieningsdatum", ["Soort", "Totaal", "Op tijd", "Te laat", "Geen datum", "Op tijd (%)"],
                             [(r["kind"], r["total"], r["on_time"], r["overdue"], r["never"], percentage(r["on_time_share"])) for r in fresh]),
    }
    for n, part in enumerate(coverage):
        key = f"dekking-{n + 1}"
        tables[key] = Table(key, f"Dekking: afhandeling door de frontoffice ({part['kind'].lower()})", ["Gemeente", *part["levels"]],
                            [(name, *counts) for name, counts in part["rows"]])
    charts = {
        "per_day": line_chart("mi-per-dag", "Zoekvragen per dag", [day for day, _, _ in per_day],
                              [("zoekvragen", [n for _, n, _ in per_day]), ("zonder resultaat", [z for _, _, z in per_day])]),
        "top": bar_chart("mi-top", "Meest gestelde zoekvragen", [(r["normalised"], r["count"]) for r in top]),
        "zero": bar_chart("mi-zero", "Zoekvragen zonder resultaat", [(r["normalised"], r["count"]) for r in zero]),
        "used": bar_chart("mi-used", "Meest gebruikte antwoorden", [(r["title"], r["total"]) for r in used]),
        "outcomes": bar_chart("mi-outcomes", "Contactuitkomsten", outcomes["counts"], patterned=True),
        "fcr_theme": bar_chart("mi-fcr-theme", "Eerstelijnsoplossing per thema", [(r["theme"], r["fcr"]) for r in per_theme],
                               maximum=100, unit="%", target=FCR_TARGET, target_label=f"doel {FCR_TARGET}%"),
        "flags": bar_chart("mi-flags", "Meldingen naar status", [(r["status"], r["total"]) for r in flags], patterned=True),
        "freshness": bar_chart("mi-freshness", "Op tijd herzien", [(r["kind"], r["on_time_share"]) for r in fresh], maximum=100, unit="%"),
    }
    key_figures = {"searches": totals, "outcomes": outcomes, "helpfulness": helpful, "coverage": coverage}
    return tables, charts, key_figures


def met(fcr):
    return "—" if fcr is None else ("ja" if fcr >= FCR_TARGET else "nee")


def csv_response(table, scope, period):
    place = scope.gemeente.slug if scope.gemeente else REGION
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stuurinformatie-{table.key}-{place}-{period.start}-{period.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.headers)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in table.rows)
    return response
