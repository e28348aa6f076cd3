from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from widget.views import LoginView
from zoeken import views as zoeken_views

urlpatterns = [
    path("admin/login/", LoginView.as_view()),  # Wagtail's, but agents land on the widget
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", zoeken_views.health, name="health"),
    path("api/v1/", include("api.urls")),
    path("widget/", include("widget.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Per-site sitemap and robots.txt, then Wagtail's page serving last: each
# municipality's site is a Wagtail Site.
urlpatterns += [path("", include("website.urls")), path("", include(wagtail_urls))]
