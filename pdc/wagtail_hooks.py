from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from redactie.display import YesNoColumn, scope_column
from redactie.shared_entries import SharedEntryViewSetMixin
from sharing.admin import GemeenteScopedViewSetMixin

from .models import Department, LifeEvent, Product, Theme, UPLName


class ProductViewSet(SharedEntryViewSetMixin, GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Product
    icon = "doc-full"
    menu_label = "Producten"
    list_display = ["title", scope_column(), "upl", "content_label", LiveStatusTagColumn(), "updated_at"]
    list_filter = ["gemeente", "themes", "department", "handling_level", "live", "has_content"]
    # Searched in the database on the real (translated) columns: partial words
    # match, on SQLite and PostgreSQL alike.
    search_fields = ["title_nl", "summary_nl", "keywords"]
    search_backend_name = None
    ordering = ["title"]
    inspect_view_fields = [
        "title_nl",
        "summary_nl",
        *(f"{name}_nl" for name in Product.rich_text_fields),
        "online_application_url",
        "digid",
        "appointment_required",
        "handling_level",
        "upl",
        "themes",
        "life_events",
        "department",
        "keywords",
        "owner",
        "review_date",
        "updated_at",
    ]


class UPLNameViewSet(SnippetViewSet):
    model = UPLName
    icon = "list-ul"
    menu_label = "UPL"
    list_display = [
        "name",
        "uri",
        YesNoColumn("gemeente", label="Gemeente"),
        YesNoColumn("burger", label="Burger"),
        YesNoColumn("bedrijf", label="Bedrijf"),
        "expired_at",
    ]
    list_filter = ["gemeente", "burger", "bedrijf"]
    search_fields = ["name"]
    inspect_view_enabled = True


class TaxonomyViewSet(SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ThemeViewSet(TaxonomyViewSet):
    model = Theme
    menu_label = "Thema's"


class LifeEventViewSet(TaxonomyViewSet):
    model = LifeEvent
    menu_label = "Levensgebeurtenissen"


class DepartmentViewSet(TaxonomyViewSet):
    model = Department
    menu_label = "Vakafdelingen"


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = "Catalogus (PDC)"
    menu_icon = "folder-open-inverse"
    menu_order = 100
    items = (ProductViewSet, UPLNameViewSet, ThemeViewSet, LifeEventViewSet, DepartmentViewSet)


register_snippet(CatalogueGroup)
