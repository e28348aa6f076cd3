from django.urls import path
from wagtail import hooks

from .dashboard import WorkQueuePanel
from .search import EntrySearchArea, EntrySearchView


@hooks.register("construct_homepage_panels")
def add_work_queue(request, panels):
    panels.append(WorkQueuePanel(request))


@hooks.register("register_admin_urls")
def register_search_url():
    return [path("redactie/zoeken/", EntrySearchView.as_view(), name="redactie_search")]


@hooks.register("register_admin_search_area")
def register_entry_search_area():
    return EntrySearchArea()
