"""Dashboard panels: the curator's work queue, each count a link to the work."""

from wagtail.admin.ui.components import Component

from gemeenten.models import Gemeente

from .work_queue import work_queue


class WorkQueuePanel(Component):
    name = "werkvoorraad"
    template_name = "redactie/panels/work_queue.html"
    order = 50  # above Wagtail's own panels (workflows, recent edits)

    def __init__(self, request):
        self.queue = work_queue(request.user)

    def get_context_data(self, parent_context):
        return {"queue": self.queue, "request": parent_context["request"]}

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.queue else ""


class ReviewPanel(Component):
    """What is due for review per gemeente (and the region), and the flags in the user's inbox."""

    name = "herzien"
    template_name = "redactie/panels/reviews.html"
    order = 60

    def __init__(self, request):
        from feedback.models import Feedback

        from . import reviews
        from .review_report import REGION, report_url, scopes

        self.rows = []
        for value, label in scopes(request.user):
            gemeente = None if value == REGION else Gemeente.objects.get(slug=value)
            totals = reviews.summary(reviews.review_items(gemeente))
            links = {state: report_url(value, state=state) for state in totals}
            self.rows.append({"label": label, "totals": totals, "links": links})
        self.inbox = Feedback.objects.open().flags().routed_to(request.user).count()

    def get_context_data(self, parent_context):
        from django.urls import reverse

        inbox_url = f"{reverse('wagtailsnippets_feedback_feedback:list')}?inbox=mine&status=open"
        return {"rows": self.rows, "inbox": self.inbox, "inbox_url": inbox_url, "request": parent_context["request"]}

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.rows or self.inbox else ""
