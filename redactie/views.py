from wagtail.snippets.views.snippets import CreateView


class PrefilledCreateView(CreateView):
    """An add form filled in from the query string, for one-click links
    (the search report, the dashboard's missing variable values)."""

    def get_initial(self):
        initial = super().get_initial()
        form_fields = self.form_class.base_fields if self.form_class else {}
        initial.update({name: value for name, value in self.request.GET.items() if name in form_fields})
        return initial
