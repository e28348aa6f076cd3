from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .openapi import document


@require_GET
def openapi(request):
    return JsonResponse(document(request.build_absolute_uri("/api/v1/")))
