from django.conf import settings
from django.urls import reverse
from django.utils import translation


class DutchAdminMiddleware:
    """The admin speaks Dutch whatever language the browser asks for.

    LocaleMiddleware follows Accept-Language, and English is one of our
    content languages (the SDG fields), so an English browser got Wagtail's
    strings, dates and, through modeltranslation, the English titles of
    entries in the admin. Wagtail overrides the language only for users who
    have a profile with a preferred language."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.admin_prefix):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
