"""The search report: what people ask per gemeente, and what finds nothing,
with one-click links to add a synonym or promote an answer."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.template.response import TemplateResponse
from django.utils import timezone

from gemeenten.models import Gemeente
from sharing.permissions import editable_gemeente_ids

from .models import SearchQuery

PERIODS = (7, 30, 90, 365)


def report_gemeenten(user):
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    return list(gemeenten if ids is None else gemeenten.filter(pk__in=ids))


def top_queries(queries, limit=25):
    return (
        queries.values("normalised")
        .annotate(count=Count("pk"), clicks=Count("pk", filter=~Q(clicked="")), results=Max("result_count"))
        .order_by("-count", "normalised")[:limit]
    )


def search_report(request):
    gemeenten = report_gemeenten(request.user)
    if not gemeenten:
        raise PermissionDenied
    gemeente = next((g for g in gemeenten if g.slug == request.GET.get("gemeente")), gemeenten[0])
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() and int(request.GET["days"]) in PERIODS else 30
    queries = SearchQuery.objects.filter(gemeente=gemeente, created_at__gte=timezone.now() - timedelta(days=days))
    return TemplateResponse(
        request,
        "zoeken/report.html",
        {
            "gemeenten": gemeenten,
            "gemeente": gemeente,
            "days": days,
            "periods": PERIODS,
            "total": queries.count(),
            "zero_total": queries.filter(result_count=0).count(),
            "top": top_queries(queries),
            "zero": top_queries(queries.filter(result_count=0)),
        },
    )
