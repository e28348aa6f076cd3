"""Dashboard panels: the curator's work queue, each count a link to the work."""

from wagtail.admin.ui.components import Component

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
