"""What a content change does, in one place, in the order it happens.

A save of a shared or local entry, read top to bottom:

1. sanitise        its rich text, before the row is written (`before_save`)
2. flag stale      overrides whose shared text this save published (`saved`)
3. bump version    every process stops using cached resolutions at once
                   (sharing/cache.py), in the transaction of the change:
                   the token of the changed model (its scope)
4. enqueue index   an outbox row for what the change affects (zoeken/outbox.py),
                   in the transaction of the change: nothing is lost
5. notify          after the commit, the background work is woken to apply
                   the outbox (a django-tasks task, docs/decisions/0001-background-work.md)

Every other content write — an override, an agent note, a variable, a
gemeente, its opening hours, a relation, a taxonomy, a house style, a site
— runs steps 3 to 5 (`changed`). Step 4 leaves out what search does not
show; step 5 happens once per transaction at most (the outbox drains
everything pending, not only its own change).

Which models count is decided here too: the generic content apps below and
the app of every registered kind (`sharing.kinds.register` calls `watch`).
Receivers are connected per model, so every other model keeps Django's
fast bulk deletes. Writes that send no signals (QuerySet.update,
bulk_create, raw SQL) call `sharing.cache.bump_content_version()` and, when
search shows them, `zoeken.outbox.enqueue` themselves."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import cache

# Every model of these apps (many-to-many tables included) feeds what a page
# or an answer shows: variables and their values, gemeenten and their
# opening hours, the municipal home pages and house styles; and so do
# Wagtail's sites (hostnames). Each kind's own app is added by `watch`.
CONTENT_APPS = ("gemeenten", "sharing", "website", "themes")

_entry_models = set()


def before_save(sender, instance, raw=False, **kwargs):
    """1. Sanitise: an entry's rich text is stored clean, whoever saves it."""
    if not raw:
        instance.sanitise_rich_text()


def saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if sender in _entry_models and not raw:
        flag_stale_overrides(instance, update_fields)
    changed(sender, instance)


def flag_stale_overrides(entry, update_fields=None):
    """2. Flag stale overrides: only a save that published base text can
    make an override stale (a draft or autosave publishes nothing)."""
    written = entry.published_base_values(update_fields)
    if written:
        entry.overrides.update_staleness(written)


def deleted(sender, instance, **kwargs):
    changed(sender, instance, deleted=True)


def relation_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        changed(sender, instance, relation=True)


def changed(sender, instance, deleted=False, relation=False):
    """3–5 for any content write, inside its transaction."""
    from zoeken import outbox, signals as search

    cache.bump_content_version(sender)  # the values read from this model (sharing/cache.py)
    if search.enqueue_change(sender, instance, deleted=deleted, relation=relation):
        outbox.drain_on_commit()


# Wiring ---------------------------------------------------------------------


def connect():
    """The generic content models (from SharingConfig.ready)."""
    from wagtail.models import Site

    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model is not cache.ContentVersion:
                _connect(model)
    _connect(Site)


def watch(kind):
    """A registered kind: every model of its app (its entries, overrides,
    notes, taxonomies and relations) is content, and its entries are
    sanitised and flag stale overrides."""
    _entry_models.add(kind.model)
    pre_save.connect(before_save, sender=kind.model, dispatch_uid=f"sharing-effects-{kind.model_label}-sanitise")
    for model in kind.model._meta.app_config.get_models(include_auto_created=True):
        _connect(model)


def watch_models(*models):
    """Models of other apps whose rows are remembered in the content cache
    (search synonyms and promotions): a write replaces their token (3–5)."""
    for model in models:
        _connect(model)


def _connect(model):
    uid = f"sharing-effects-{model._meta.label_lower}"
    post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(relation_changed, sender=model, dispatch_uid=f"{uid}-m2m")
