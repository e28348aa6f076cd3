"""How the admin shows stored values: in Dutch ("ja"/"nee", not
True/False) and in local time (the database holds UTC).

The display classes serve every inspect view; the helpers serve listings,
panels and our own views, so a value reads the same everywhere."""

from django.db import models
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.ui.tables import Column
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html

EMPTY = "—"


def yes_no(value):
    return EMPTY if value is None else ("ja" if value else "nee")


def local_datetime(value):
    """An aware datetime as the curator's clock shows it: 3 december 2026 10:23."""
    if value is None:
        return EMPTY
    return formats.date_format(timezone.localtime(value), "j F Y H:i")


def local_date(value):
    return EMPTY if value is None else formats.date_format(value, "j F Y")


class ValueDisplay(Component):
    """A model field's value in an inspect view, as plain escaped text."""

    def __init__(self, value):
        self.value = value

    def text(self):
        return EMPTY if self.value in (None, "") else str(self.value)

    def render_html(self, parent_context=None):
        return conditional_escape(self.text())


class BooleanDisplay(ValueDisplay):
    def text(self):
        return yes_no(self.value)


class DateTimeDisplay(ValueDisplay):
    def text(self):
        return local_datetime(self.value)


class DateDisplay(ValueDisplay):
    def text(self):
        return local_date(self.value)


class RichTextDisplay(ValueDisplay):
    def render_html(self, parent_context=None):
        # Rich text is sanitised when it is saved (kennisbank.sanitise).
        return mark_safe(expand_db_html(self.value)) if self.value else EMPTY  # noqa: S308


class YesNoColumn(Column):
    """A yes/no listing column in words (Wagtail's BooleanColumn titles its
    icons "True"/"False")."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


def scope_column():
    """Shared or one gemeente's: the `scope` property of gemeente-scoped models."""
    return Column("scope", label="Geldt voor", sort_key="gemeente")


def register():
    register_display_class(models.BooleanField, display_class=BooleanDisplay)
    register_display_class(models.DateTimeField, display_class=DateTimeDisplay)
    register_display_class(models.DateField, display_class=DateDisplay)
    register_display_class(RichTextField, display_class=RichTextDisplay)
    # Text columns may be NULL (the translated ones are): "—", never "None".
    register_display_class(models.CharField, display_class=ValueDisplay)
    register_display_class(models.TextField, display_class=ValueDisplay)
    # Any foreign key without a more specific display (images, documents).
    register_display_class(models.ForeignKey, to=models.Model, display_class=ValueDisplay)
