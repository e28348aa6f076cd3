"""The owners' digest: one e-mail per address with the texts they own that
are overdue or due within 30 days, and the open flags routed to them.
Without an owner, the curators of that text get it. Sent by the management
command `review_digest` (a cron job) or the task `send_review_digests`."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from feedback.models import Feedback, attach_entries
from gemeenten.models import Gemeente

from . import reviews

SUBJECT = "Kennisbank: te herzien en meldingen"


def addresses(owner, team, gemeente):
    """Where mail for a text goes: its owner, its team's mailbox (or the
    members), else the curators of that text."""
    people = [owner] if owner is not None else []
    found = set()
    if team is not None:
        if team.email:
            found.add(team.email)
        else:
            people += list(team.members.all())
    if owner is None and team is None:
        people = reviews.curators(gemeente)
    return found | {person.email for person in people if person.email}


def collect(today=None):
    """{address: {"items": [ReviewItem], "flags": [Feedback]}}."""
    digests = defaultdict(lambda: {"items": [], "flags": []})
    for gemeente in [None, *Gemeente.objects.order_by("name")]:
        for item in reviews.review_items(gemeente, today):
            if item.states & {reviews.State.OVERDUE, reviews.State.DUE}:
                for address in addresses(item.owner, item.owner_team, item.gemeente):
                    digests[address]["items"].append(item)
    flags = attach_entries(Feedback.objects.open().flags().select_related("gemeente", "assignee", "assignee_team"))
    for flag in flags:
        scope = flag.gemeente if flag.route == Feedback.Route.LOCAL else None
        for address in addresses(flag.assignee, flag.assignee_team, scope):
            digests[address]["flags"].append(flag)
    return dict(digests)


def send_digests(today=None, base_url=""):
    """Send every digest; returns how many e-mails went out."""
    base_url = base_url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    context = {"reviews_url": base_url + reverse("redactie_reviews"), "inbox_url": base_url + reverse("wagtailsnippets_feedback_feedback:list") + "?inbox=mine&status=open"}
    messages = [
        EmailMessage(SUBJECT, render_to_string("redactie/email/digest.txt", {**context, **digest}), to=[address])
        for address, digest in sorted(collect(today).items())
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


@task()
def send_review_digests():
    return send_digests()
