"""The agent's flags in the JSON API (a ninja Router, mounted by
api/views.py): "Mijn meldingen" with their status, and which answers of a
gemeente are flagged and still being handled ("gemeld, in behandeling")."""

from datetime import datetime
from typing import Literal, Optional

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router
from pydantic import BaseModel, Field

from api.access import gemeente_for
from api.auth import AGENT as AGENT_AUTH
from api.schemas import errors
from sharing.resolution import AGENT

from .models import Feedback, attach_entries

router = Router()
MY_FLAGS_LIMIT = 50


class EntryKey(BaseModel):
    kind: str
    id: int


class EntryRef(EntryKey):
    title: str


class MyFlag(BaseModel):
    id: int
    gemeente: str = Field(description="Slug of the gemeente")
    kind: Literal[tuple(Feedback.FLAG_KINDS)]
    entry: Optional[EntryRef]
    field: str
    query: str
    remark: str = Field(description="Plain text as the agent wrote it; show it escaped")
    status: Literal[tuple(Feedback.Status.values)]
    status_label: str
    reason: str = Field(description="Why it was rejected (status rejected)")
    created_at: datetime
    status_changed_at: Optional[datetime]


class MyFlags(BaseModel):
    results: list[MyFlag]


class OpenFlag(BaseModel):
    entry: EntryKey
    field: str
    status: Literal[tuple(Feedback.OPEN_STATUSES)]


class OpenFlags(BaseModel):
    results: list[OpenFlag]


def private(response):
    patch_cache_control(response, private=True, no_cache=True)


@router.get("/agent/meldingen", url_name="agent-flags", response={200: MyFlags, **errors(401, 403)}, summary="Mijn meldingen: de eigen meldingen met hun status", auth=AGENT_AUTH)
def my_flags(request, response: HttpResponse):
    private(response)
    flags = Feedback.objects.filter(user=request.user, kind__in=Feedback.FLAG_KINDS).select_related("gemeente")[:MY_FLAGS_LIMIT]
    return {"results": [my_flag(flag) for flag in attach_entries(flags)]}


def my_flag(flag):
    entry = flag.entry
    return {
        "id": flag.pk,
        "gemeente": flag.gemeente.slug,
        "kind": flag.kind,
        "entry": {"kind": flag.entry_kind, "id": flag.entry_id, "title": str(entry)} if entry is not None else None,
        "field": flag.field_name,
        "query": flag.query,
        "remark": flag.remark,
        "status": flag.status,
        "status_label": flag.get_status_display(),
        "reason": flag.status_reason if flag.status == Feedback.Status.REJECTED else "",
        "created_at": flag.created_at,
        "status_changed_at": flag.status_changed_at,
    }


@router.get(
    "/agent/gemeenten/{slug:gemeente}/meldingen",
    url_name="agent-open-flags",
    response={200: OpenFlags, **errors(401, 403, 404)},
    summary="Antwoorden van de gemeente die gemeld zijn en nog in behandeling",
    auth=AGENT_AUTH,
)
def open_flags(request, response: HttpResponse, gemeente: str):
    found = gemeente_for(request, gemeente, AGENT)
    private(response)
    flags = Feedback.objects.open().filter(gemeente=found, kind__in=Feedback.FLAG_KINDS).about_entries()
    seen = {}
    for kind, entry_id, field, status in flags.values_list("entry_kind", "entry_id", "field_name", "status").order_by("created_at"):
        seen[(kind, entry_id, field)] = status
    return {"results": [{"entry": {"kind": k, "id": i}, "field": f, "status": s} for (k, i, f), s in seen.items()]}
