from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from kennisbank import errors
from redactie.views import RegionSiteHistoryView
from widget.views import LoginView
from zoeken import views as zoeken_views

urlpatterns = [
    path("admin/login/", LoginView.as_view()),  # Wagtail's, but agents land on the widget
    # Wagtail's site history, for those who may read every gemeente's content.
    path("admin/reports/site-history/", require_admin_access(RegionSiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(RegionSiteHistoryView.as_view(results_only=True)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", zoeken_views.health, name="health"),
    path("api/v1/", include("api.urls")),
    re_path(r"^api/", errors.api_not_found),
    path("widget/", include("widget.urls")),
    path("voorstellen/", include("voorstellen.urls")),  # the back-office experts' personal links
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    def media(request, path):
        # MEDIA_ROOT read per request: tests point it elsewhere.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media))

# Per-site sitemap and robots.txt, then Wagtail's page serving last: each
# municipality's site is a Wagtail Site.
urlpatterns += [path("", include("website.urls")), path("", include(wagtail_urls))]

# JSON under /api/, Django's pages elsewhere (kennisbank/errors.py).
handler400 = "kennisbank.errors.bad_request"
handler403 = "kennisbank.errors.permission_denied"
handler404 = "kennisbank.errors.page_not_found"
handler500 = "kennisbank.errors.server_error"
