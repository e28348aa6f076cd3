"""Posting Wagtail's snippet edit form as a browser would: the fields the
edit page renders, with their current values, plus the editor's changes."""

from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.admin.rich_text import DraftailRichTextArea

UNSENT_INPUTS = {"submit", "button", "file", "image", "reset"}


def _value(field):
    if field.name == "textarea":
        text = field.string or ""
        return [text[1:] if text.startswith("\n") else text]  # the browser drops the first newline
    if field.name == "select":
        return [option.get("value", option.text) for option in field.find_all("option") if option.has_attr("selected")]
    if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
        return []
    return [field.get("value", "on" if field.get("type") in ("checkbox", "radio") else "")]


def form_data(html, form_id="w-editor-form"):
    """Name → list of values of the form's fields, as the browser would send them."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id} on the page"
    fields = form.find_all(["input", "textarea", "select"]) + soup.find_all(attrs={"form": form_id})
    data = {}
    for field in fields:
        name = field.get("name")
        if not name or field.has_attr("disabled") or field.get("type") in UNSENT_INPUTS:
            continue
        data.setdefault(name, []).extend(_value(field))
    return data


def rich_text(html):
    """What the Draftail editor posts for this HTML (its content state)."""
    return DraftailRichTextArea(features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]).format_value(html)


def edit_url(entry):
    return reverse(f"wagtailsnippets_{entry._meta.app_label}_{entry._meta.model_name}:edit", args=[entry.pk])


def post_edit_form(client, entry, changes, action=None, **extra):
    """GET the entry's edit page, change fields, POST it back.

    action: "action-publish" publishes; None saves a draft (the "Bewaar
    concept" button has no name). extra: request headers, e.g. the
    Accept: application/json of Wagtail's autosave."""
    page = client.get(edit_url(entry))
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    if action == "action-publish" and 'name="action-publish"' not in html and _needs_four_eyes(entry):
        # Publishing a shared entry (or one of a four-eyes gemeente) is
        # submitting it and a second curator's approval (issue 12).
        from .factories import regional_curator

        return publish_with_four_eyes(client, entry, changes, regional_curator())
    data = form_data(html)
    data.update({name: [value] for name, value in changes.items()})
    if action:
        data[action] = [button_value(html, action)]
    return client.post(edit_url(entry), data, **extra)


def _needs_four_eyes(entry):
    from sharing.workflow import needs_four_eyes

    return needs_four_eyes(type(entry).objects.get(pk=entry.pk))


def button_value(html, name):
    """What the browser sends for the submit button `name` the page offers."""
    button = BeautifulSoup(html, "html.parser").find("button", attrs={"name": name})
    assert button is not None, f"the page offers no {name} button"
    return button.get("value", "")


def approve(entry, approver, comment=""):
    """A second curator approves the entry's change in review (four eyes,
    sharing/workflow.py) through Wagtail's workflow action, as the modal
    posts it. Returns the response."""
    from django.test import Client

    entry = type(entry).objects.get(pk=entry.pk)
    task_state = entry.current_workflow_task_state
    assert task_state is not None, f"{entry} is not in review"
    name = f"wagtailsnippets_{entry._meta.app_label}_{entry._meta.model_name}:workflow_action"
    client = Client()
    client.force_login(approver)
    return client.post(reverse(name, args=[entry.pk, "approve", task_state.pk]), {"comment": comment})


def publish_with_four_eyes(client, entry, changes, approver):
    """Submit the change through the edit form (the logged-in curator), then
    `approver` approves it: what "publish" is for a shared entry."""
    response = post_edit_form(client, entry, changes, action="action-submit")
    assert response.status_code == 302, response.content.decode()[:2000]
    response = approve(entry, approver)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
