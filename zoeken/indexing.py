"""Index lifecycle: versioned indexes behind one alias per channel.

`rebuild` fills a new index and swaps the alias in one atomic request when
it is complete, so searches keep working during a rebuild. `apply_entry`
brings the documents of one entry up to date for the gemeenten it touches
(the outbox calls it)."""

from datetime import datetime, timezone

from django.conf import settings

from gemeenten.models import Gemeente
from sharing.kinds import get_kind, kinds
from sharing.resolution import CHANNELS, resolve_many, visible_queryset
from sharing.variables import GemeenteContext

from .documents import build_document, document_id
from .engine import indexing_client
from .mappings import index_body

BULK_SIZE = 500


def alias(channel):
    return f"{settings.SEARCH_INDEX_PREFIX}-{channel}"


def new_index_name(channel):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
    return f"{alias(channel)}-{stamp}"


def entry_models():
    return [kind.model for kind in kinds()]


def documents_for(gemeente, channel, model, entries=None):
    """(id, document) pairs of the entries (default: all visible ones)."""
    queryset = visible_queryset(model, gemeente) if entries is None else entries
    context = GemeenteContext.load(gemeente)
    for resolved in resolve_many(queryset, gemeente, channel=channel, context=context):
        yield document_id(gemeente.slug, resolved.kind, resolved.id), build_document(resolved)


def bulk(client, index, operations):
    """Send index/delete operations in batches; raise if any item failed
    (a delete of a missing document is not a failure)."""
    lines = []
    for op, doc_id, document in operations:
        lines.append({op: {"_index": index, "_id": doc_id}})
        if op == "index":
            lines.append(document)
        if len(lines) >= BULK_SIZE * 2:
            _send(client, lines)
            lines = []
    if lines:
        _send(client, lines)


def _send(client, lines):
    response = client.bulk(body=lines)
    if not response.get("errors"):
        return
    failures = [
        item for result in response["items"] for op, item in result.items() if item.get("status", 200) >= 300 and not (op == "delete" and item.get("status") == 404)
    ]
    if failures:
        raise RuntimeError(f"{len(failures)} bulk operations failed, first: {failures[0]}")


def create_index(client, channel):
    name = new_index_name(channel)
    client.indices.create(index=name, body=index_body(channel))
    return name


def current_indexes(client, channel):
    if not client.indices.exists_alias(name=alias(channel)):
        return []
    return list(client.indices.get_alias(name=alias(channel)).keys())


def swap_aliases(client, new_indexes):
    """Point each channel's alias at its new index in one atomic request,
    then delete the indexes the aliases pointed at before."""
    old = {channel: current_indexes(client, channel) for channel in new_indexes}
    actions = [
        {"remove": {"index": name, "alias": alias(channel)}} for channel, names in old.items() for name in names
    ]
    actions += [{"add": {"index": index, "alias": alias(channel)}} for channel, index in new_indexes.items()]
    client.indices.update_aliases(body={"actions": actions})
    delete_indexes(client, [name for names in old.values() for name in names])


def delete_indexes(client, names):
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)


def rebuild(gemeenten=None, progress=None):
    """Build fresh indexes for both channels and swap them in. Returns
    {channel: number of documents}. `progress(step)` is called once per
    gemeente × channel × entry kind.

    The outbox lock is held throughout, so no change is applied to the old
    indexes meanwhile (it would be lost at the swap); what was queued during
    the rebuild is applied to the new indexes afterwards."""
    from . import outbox

    with outbox.processing_lock(wait=True):
        before = outbox.snapshot()
        counts = _build_and_swap(gemeenten, progress)
        outbox.settle_after_rebuild(before)
    outbox.process()
    return counts


def _build_and_swap(gemeenten, progress):
    """Both channels are built before either alias moves, so a failure
    halfway leaves the old pair in use and no half-built index behind."""
    client = indexing_client()
    gemeenten = list(gemeenten or Gemeente.objects.all())
    built, counts = {}, {}
    try:
        for channel in CHANNELS:
            built[channel] = create_index(client, channel)
            counts[channel] = _fill(client, built[channel], channel, gemeenten, progress)
        swap_aliases(client, built)
    except BaseException:
        delete_indexes(client, built.values())
        raise
    return counts


def _fill(client, index, channel, gemeenten, progress):
    count = 0
    for gemeente in gemeenten:
        for model in entry_models():
            documents = list(documents_for(gemeente, channel, model))
            bulk(client, index, (("index", doc_id, doc) for doc_id, doc in documents))
            count += len(documents)
            if progress:
                progress(1)
    client.indices.refresh(index=index)
    return count


def ensure_indexes():
    """Create empty indexes behind the aliases if there are none yet."""
    client = indexing_client()
    missing = [channel for channel in CHANNELS if not current_indexes(client, channel)]
    if missing:
        swap_aliases(client, {channel: create_index(client, channel) for channel in missing})


def affected_gemeenten(entry, gemeente=None):
    if gemeente is not None:
        return [gemeente]
    if entry is not None and entry.gemeente_id:
        return [entry.gemeente]
    return list(Gemeente.objects.all())


def apply_entry(model, entry_id, gemeente=None):
    """Bring the documents of one entry in line with the database for the
    gemeenten it touches: index it where it resolves, delete it elsewhere."""
    client = indexing_client()
    entry = model.objects.filter(pk=entry_id).first()
    kind = get_kind(model).name
    for channel in CHANNELS:
        operations = []
        for target in affected_gemeenten(entry, gemeente):
            documents = dict(documents_for(target, channel, model, model.objects.filter(pk=entry_id))) if entry else {}
            doc_id = document_id(target.slug, kind, entry_id)
            operations.append(("index", doc_id, documents[doc_id]) if doc_id in documents else ("delete", doc_id, None))
        bulk(client, alias(channel), operations)


def apply_gemeente(gemeente):
    """Re-index every entry of one gemeente (its variables or opening hours
    changed), removing documents that no longer resolve."""
    client = indexing_client()
    for channel in CHANNELS:
        documents = {}
        for model in entry_models():
            documents.update(documents_for(gemeente, channel, model))
        stale = _indexed_ids(client, channel, gemeente) - documents.keys()
        operations = [("index", doc_id, doc) for doc_id, doc in documents.items()]
        operations += [("delete", doc_id, None) for doc_id in stale]
        bulk(client, alias(channel), operations)


def _indexed_ids(client, channel, gemeente, page_size=5000):
    """Every document id of the gemeente in the index, page by page."""
    ids, after = set(), None
    while True:
        body = {
            "query": {"term": {"gemeente": gemeente.slug}},
            "_source": False,
            "size": page_size,
            "sort": [{"kind": "asc"}, {"entry_id": "asc"}],
            **({"search_after": after} if after else {}),
        }
        hits = client.search(index=alias(channel), body=body)["hits"]["hits"]
        ids.update(hit["_id"] for hit in hits)
        if len(hits) < page_size:
            return ids
        after = hits[-1]["sort"]


def refresh():
    client = indexing_client()
    for channel in CHANNELS:
        client.indices.refresh(index=alias(channel))
