"""The editors' side of content quality: the readability panel next to the
edit form (a fragment the editor page asks for while the editor types), the
readability report per kind (sortable, CSV) and the broken-link report per
owner and gemeente."""

import copy
import csv

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from gemeenten.models import Gemeente
from kennisbank.text import spreadsheet_cell
from sharing.kinds import get_kind, kinds
from sharing.models import Team
from sharing.permissions import can_edit_gemeente, can_read_entry, editable_gemeente_ids, is_regional_curator, readable_gemeente_ids
from sharing.scope import shared_or_own
from sharing.variables import GemeenteContext
from sharing.views import FieldForm

from .checks import defined_variables, dutch_column, entry_quality, field_label, text_fields
from .models import Link, LinkUse
from .readability import B1_TARGET, LONG_SENTENCE_WORDS, LONG_WORD_SYLLABLES, WORD, is_long_word

PROBLEMS = (Link.Status.BROKEN, Link.Status.UNREACHABLE)


def is_curator(user):
    return is_regional_curator(user) or bool(editable_gemeente_ids(user))


def highlight(sentence):
    """A sentence as HTML with its long words in <mark>."""
    parts, last = [], 0
    for match in WORD.finditer(sentence):
        parts.append(escape(sentence[last : match.start()]))
        word = escape(match.group())
        parts.append(f"<mark>{word}</mark>" if is_long_word(match.group()) else word)
        last = match.end()
    parts.append(escape(sentence[last:]))
    return mark_safe("".join(parts))


def _bound_entry(request, kind, pk):
    """The entry as the editor's unsaved form has it: the stored entry (or
    a new one) with every field that cleaned applied; nothing is saved."""
    viewset = getattr(kind.model, "snippet_viewset", None)
    if viewset is None:
        raise Http404
    policy = viewset.permission_policy
    if pk is None:
        if not policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        instance = kind.model()
    else:
        instance = get_object_or_404(kind.model, pk=pk)
        if not can_read_entry(request.user, instance) or not policy.user_has_any_permission(request.user, ["change", "view"]):
            raise PermissionDenied
    form = viewset.get_form_class(for_update=pk is not None)(request.POST, instance=instance, for_user=request.user)
    form.is_valid()  # applies the valid fields to form.instance; errors are the save's business
    return form.instance


@require_POST
def editor_panel(request, model_label, pk=None):
    """The readability panel for the entry in the edit form (POSTed as is)."""
    try:
        kind = get_kind(apps.get_model(model_label))
    except (LookupError, ValueError, KeyError):
        raise Http404
    return _panel(request, entry_quality(_bound_entry(request, kind, pk)))


def _panel(request, quality, gemeente=None, local_columns=()):
    long_sentences = [
        (section.label, highlight(sentence.text), sentence.words)
        for section in quality.sections
        for sentence in section.readability.long_sentences
    ]
    context = {
        "quality": quality,
        "long_sentences": long_sentences,
        "variables": _variables(quality, gemeente),
        "gemeente": gemeente,
        "local_labels": [field_label(quality.kind.model, name) for name in text_fields(quality.kind)
                         if dutch_column(quality.kind.model, name) in local_columns],
        **_limits(),
    }
    return TemplateResponse(request, "kwaliteit/editor_panel.html", context)


def _variables(quality, gemeente=None):
    """The variables the text uses: unknown ones marked and, in a gemeente's
    editor, what its readers see for each (the value, or the fallback text
    when the gemeente has none), filled in as resolution fills them."""
    context = GemeenteContext.load(gemeente) if gemeente is not None else None
    rows = []
    for key in quality.total.variables:
        row = {"key": key, "unknown": key in quality.unknown_variables}
        if context is not None:
            row["shown"], unresolved = context.render(f"{{{{ {key} }}}}", html=False)
            row["missing"] = bool(unresolved)
        rows.append(row)
    return rows


@require_http_methods(["GET", "POST"])
def local_panel(request, kind, pk, gemeente_slug, column=None):
    """The readability panel in a gemeente's local editor: the entry as the
    gemeente shows it (the shared text with its overrides); POSTed from a
    field's editor, with that field as the editor has it now (any other
    column, e.g. an audience variant, adds nothing: the Dutch text is measured).
    Saves nothing."""
    try:
        model = get_kind(kind).model
    except KeyError:
        raise Http404 from None
    entry = get_object_or_404(model, pk=pk, gemeente__isnull=True)
    gemeente = get_object_or_404(Gemeente, slug=gemeente_slug)
    if not can_edit_gemeente(request.user, gemeente):
        raise PermissionDenied
    columns = model.overridable_columns()
    local = copy.copy(entry)  # never saved
    overrides = {o.field_name: o.value for o in entry.overrides.filter(gemeente=gemeente, field_name__in=columns)}
    for name, value in overrides.items():
        setattr(local, name, value)
    local_columns = set(overrides)
    if column in columns and request.method == "POST":  # else: the entry as shown
        form = FieldForm(entry, column, request.POST)
        form.is_valid()  # the value is applied when it cleans; the rest is the save's business
        if "value" in form.cleaned_data:
            setattr(local, column, form.cleaned_data["value"])
            local_columns.add(column)
    return _panel(request, entry_quality(local), gemeente, local_columns)


def _limits():
    return {"target": B1_TARGET, "long_sentence_words": LONG_SENTENCE_WORDS, "long_word_syllables": LONG_WORD_SYLLABLES}


class CuratorReportMixin(WagtailAdminTemplateMixin):
    def dispatch(self, request, *args, **kwargs):
        if not is_curator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


SORTS = {
    "score": lambda row: (row.score is None, row.score or 0),
    "-score": lambda row: (row.score is None, -(row.score or 0)),
    "title": lambda row: str(row.entry).lower(),
    "-title": lambda row: str(row.entry).lower(),
}


def readable_entries(kind, user):
    """The kind's entries the user may read: shared ones and local ones of
    the user's gemeenten."""
    queryset = kind.model.objects.select_related("gemeente", *kind.model.resolution_select_related)
    ids = readable_gemeente_ids(user)
    if ids is not None:
        queryset = queryset.filter(shared_or_own(ids))
    return queryset


class ReadabilityReportView(CuratorReportMixin, TemplateView):
    template_name = "kwaliteit/readability_report.html"
    page_title = "Leesbaarheid"
    header_icon = "doc-full"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Leesbaarheid"}]

    def kind(self):
        try:
            return get_kind(self.request.GET.get("soort") or kinds()[0].name)
        except KeyError:
            raise Http404

    def rows(self, kind):
        defined = defined_variables()
        rows = [entry_quality(entry, defined) for entry in readable_entries(kind, self.request.user)]
        sort = self.request.GET.get("sorteer", "score")
        sort = sort if sort in SORTS else "score"
        return sorted(rows, key=SORTS[sort], reverse=sort == "-title"), sort

    def get(self, request, *args, **kwargs):
        kind = self.kind()
        rows, sort = self.rows(kind)
        if request.GET.get("formaat") == "csv":
            return readability_csv(kind, rows)
        return super().get(request, *args, kind=kind, rows=rows, sort=sort, **kwargs)

    def get_context_data(self, **kwargs):
        for row in kwargs["rows"]:
            row.admin_url = _edit_url(row.entry)
        below = sum(1 for row in kwargs["rows"] if row.score is not None and not row.total.meets_target)
        return super().get_context_data(kinds=kinds(), below_target=below, **_limits(), **kwargs)


def _edit_url(entry):
    viewset = getattr(entry, "snippet_viewset", None)
    return reverse(viewset.get_url_name("edit"), args=[entry.pk]) if viewset else None


def readability_csv(kind, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leesbaarheid-{kind.name}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["soort", "id", "titel", "gemeente", "score", "niveau", "B1-doel gehaald", "woorden", "zinnen",
                     "lange zinnen", "lange woorden", "variabelen", "onbekende variabelen", "lege verplichte onderdelen"])
    for row in rows:
        total = row.total
        writer.writerow([spreadsheet_cell(value) for value in (
            kind.name, row.entry.pk, row.entry, row.entry.gemeente or "gedeeld",
            "" if row.score is None else f"{row.score:.1f}".replace(".", ","), total.level,
            "ja" if total.meets_target else "nee", total.words, total.sentences, len(total.long_sentences),
            ", ".join(total.long_words), ", ".join(total.variables), ", ".join(row.unknown_variables),
            ", ".join(row.empty_required),
        )])
    return response


class LinksReportView(CuratorReportMixin, TemplateView):
    template_name = "kwaliteit/links_report.html"
    page_title = "Kapotte links"
    header_icon = "link"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Kapotte links"}]
    max_rows = 500

    def uses(self):
        """Uses of links in the shared texts and in the user's gemeenten's
        local texts; another gemeente's overrides never."""
        uses = LinkUse.objects.select_related("link", "gemeente", "owner", "owner_team")
        ids = editable_gemeente_ids(self.request.user)
        if ids is not None:
            uses = uses.filter(shared_or_own(ids))
        return uses

    def owners(self, uses):
        """The owner filter's choices: me, no owner, and every person and
        team that owns a link the user may see."""
        people = get_user_model().objects.filter(pk__in=uses.exclude(owner=None).values("owner")).order_by("username")
        teams = Team.objects.filter(pk__in=uses.exclude(owner_team=None).values("owner_team")).select_related("gemeente")
        return [
            ("mijn", "ik (of mijn team)"), ("geen", "zonder eigenaar"),
            *((f"persoon-{person.pk}", person.get_full_name() or person.username) for person in people),
            *((f"team-{team.pk}", f"team {team}") for team in teams),
        ]

    def filter_owner(self, uses, owner):
        user = self.request.user
        if owner == "mijn":
            return uses.filter(Q(owner=user) | Q(owner_team__in=Team.objects.filter(members=user)))
        if owner == "geen":
            return uses.filter(owner=None, owner_team=None)
        kind, _, pk = owner.partition("-")
        if pk.isdigit() and kind in ("persoon", "team"):
            return uses.filter(**{"owner_id" if kind == "persoon" else "owner_team_id": pk})
        return uses

    def get_context_data(self, **kwargs):
        uses = self.uses()
        gemeenten = Gemeente.objects.filter(pk__in=uses.exclude(gemeente=None).values("gemeente"))
        owners = self.owners(uses)
        owner = self.request.GET.get("eigenaar", "")
        uses = self.filter_owner(uses, owner)
        status = self.request.GET.get("status", "problemen")
        if status == "problemen":
            uses = uses.filter(link__status__in=PROBLEMS)
        elif status in Link.Status.values:
            uses = uses.filter(link__status=status)
        gemeente = self.request.GET.get("gemeente", "")
        if gemeente == "gedeeld":
            uses = uses.filter(gemeente=None)
        elif gemeente.isdigit():
            uses = uses.filter(gemeente_id=gemeente)
        groups = (
            uses.values("owner__username", "owner__first_name", "owner__last_name", "owner_team__name", "gemeente__name")
            .annotate(total=Count("pk"), broken=Count("pk", filter=Q(link__status=Link.Status.BROKEN)),
                      unreachable=Count("pk", filter=Q(link__status=Link.Status.UNREACHABLE)))
            .order_by("owner__username", "owner_team__name", "gemeente__name")
        )
        rows = list(uses.order_by("owner__username", "owner_team__name", "gemeente__name", "entry_title", "link__url")[: self.max_rows])
        for use in rows:
            use.admin_url = _use_url(use)
            use.field_label = _column_label(use)
        return super().get_context_data(
            groups=groups, rows=rows, status=status, gemeente=gemeente, gemeenten=gemeenten, owner=owner, owners=owners,
            statuses=Link.Status.choices, max_rows=self.max_rows, **kwargs,
        )


def _column_label(use):
    """The label of the field a link is in ("omschrijving", not description_nl)."""
    try:
        field = get_kind(use.entry_kind).model._meta.get_field(use.field_name)
    except Exception:  # a kind no longer registered, a column gone
        return use.field_name
    return str(field.verbose_name)


def _use_url(use):
    """Where the editor fixes the link: the gemeente's local editor for an
    override, the entry's edit form otherwise."""
    try:
        if use.is_override:
            return reverse("sharing:entry_editor", args=[use.entry_kind, use.entry_id, use.gemeente.slug])
        viewset = getattr(get_kind(use.entry_kind).model, "snippet_viewset", None)
        return reverse(viewset.get_url_name("edit"), args=[use.entry_id]) if viewset else None
    except (KeyError, NoReverseMatch):
        return None
