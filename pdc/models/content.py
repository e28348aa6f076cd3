"""Whether an entry has text of its own.

Most products come from the national UPL and have only a name until a
curator writes them; their pages say "Over dit product staat nog geen
uitgebreide informatie". `has_content` is stored on the entry, computed on
every save, so the admin, the A–Z list and searches can rank or leave out
entries without text. The search index computes the same from the resolved
text (zoeken/documents.py), so a gemeente's own text counts there too."""

from html import unescape

from django.contrib import admin
from django.db import models
from django.utils.html import strip_tags


def has_text(*values):
    """Whether any of these (HTML) values holds visible text."""
    return any(unescape(strip_tags(value or "")).strip() for value in values)


class ContentFlag(models.Model):
    # The logical fields whose (Dutch) text makes a page; set per model.
    content_fields: tuple = ()

    has_content = models.BooleanField(
        "met inhoud",
        default=False,
        editable=False,
        db_index=True,
        help_text="Uit: alleen een naam, nog geen tekst (bijv. een UPL-naam). Wordt bij elke opslag bepaald.",
    )

    class Meta:
        abstract = True

    @classmethod
    def content_columns(cls):
        return [f"{name}_nl" if name in cls.translated_fields else name for name in cls.content_fields]

    def compute_has_content(self):
        return has_text(*(getattr(self, column) for column in self.content_columns()))

    def save(self, *args, **kwargs):
        self.has_content = self.compute_has_content()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "has_content"}
        super().save(*args, **kwargs)

    @admin.display(description="inhoud", ordering="has_content")
    def content_label(self):
        return "" if self.has_content else "zonder inhoud"


def content_for_gemeente(model, gemeente, ids=None):
    """{entry id: has text} as this gemeente publishes the entries whose
    content columns it overrides (its own text on an empty shared entry, or
    an emptied one); other entries have their stored `has_content`."""
    override_model = model.overrides.rel.related_model
    columns = model.content_columns()
    overrides = override_model.objects.filter(gemeente=gemeente, field_name__in=columns)
    if ids is not None:
        overrides = overrides.filter(entry_id__in=ids)
    merged = {}
    for entry_id, column, value in overrides.values_list("entry_id", "field_name", "value"):
        merged.setdefault(entry_id, {})[column] = value
    if not merged:
        return {}
    for row in model.objects.filter(pk__in=merged).values("pk", *columns):
        merged[row["pk"]] = {**row, **merged[row["pk"]]}
    return {pk: has_text(*(values.get(column) for column in columns)) for pk, values in merged.items()}
