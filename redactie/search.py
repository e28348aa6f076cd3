"""Admin search over the entries of every kind (products, VACs, …): what a
curator or agent looks for in this admin. (Wagtail's own admin search covers pages, which curators
have no access to.)"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.search import SearchArea
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from sharing.kinds import kinds

from .links import entry_admin_url, local_view_url
from .work_queue import curated_gemeenten

MAX_RESULTS = 50


def searched_kinds():
    """The kinds with an admin of their own, and the columns searched (title first)."""
    return [
        (kind, kind.admin_search_columns or kind.database_search_columns)
        for kind in kinds()
        if hasattr(kind.model, "snippet_viewset")
    ]


def may_search(user):
    return any(kind.model.snippet_viewset.permission_policy.user_has_permission(user, "view") for kind, _ in searched_kinds())


class EntrySearchArea(SearchArea):
    def __init__(self):
        super().__init__("Producten en vragen", reverse("redactie_search"), name="producten-en-vragen", icon_name="doc-full", order=50)

    def is_shown(self, request):
        return may_search(request.user)


def matching(queryset, title, columns, query):
    """Entries with every word of the query in one of the columns; title hits first."""
    for word in query.split():
        queryset = queryset.filter(Q.create([(f"{column}__icontains", word) for column in columns], connector=Q.OR))
    title_hit = Q.create([(f"{title}__icontains", word) for word in query.split()], connector=Q.AND)
    rank = Case(When(title_hit, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(title_rank=rank).order_by("title_rank", title, "pk")


class EntrySearchView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "redactie/search.html"
    page_title = "Zoeken in producten en vragen"
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not may_search(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None, placeholder="Zoek producten en vragen…")
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        sections = [self.section(kind.model, columns[0], columns, query) for kind, columns in searched_kinds()] if query else []
        return super().get_context_data(search_form=form, query=query, sections=sections, **kwargs)

    def section(self, model, title, columns, query):
        viewset = model.snippet_viewset
        queryset = viewset.get_queryset(self.request)
        if queryset is None:
            queryset = model._default_manager.all()
        found = matching(queryset.select_related("gemeente"), title, columns, query)
        user = self.request.user
        gemeenten = curated_gemeenten(user)
        entries = list(found[: MAX_RESULTS + 1])
        return {
            "label": model._meta.verbose_name_plural,
            "more": len(entries) > MAX_RESULTS,
            "listing_url": f"{reverse(viewset.get_url_name('list'))}?{urlencode({'q': query})}",
            "results": [
                {
                    "entry": entry,
                    "url": entry_admin_url(entry, user),
                    "local": [(g, local_view_url(entry, g, user)) for g in gemeenten if entry.is_shared],
                }
                for entry in entries[:MAX_RESULTS]
            ],
        }
