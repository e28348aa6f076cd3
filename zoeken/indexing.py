"""Index lifecycle: versioned indexes behind one alias per channel.

`rebuild` fills a new index and swaps the alias in one atomic request when
it is complete, so searches keep working during a rebuild. `apply_entry`
brings the documents of one entry up to date for the gemeenten it touches
(the outbox calls it)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from django.conf import settings
from django.db.models import Q

from gemeenten.models import Gemeente
from sharing.kinds import get_kind, kinds
from sharing.resolution import AGENT, CHANNELS, resolve_across, resolve_many, visible_queryset
from sharing.scheduling import agents_early_filter
from sharing.scope import shared_or_own
from sharing.variables import GemeenteContext

from .documents import build_document, document_id
from .engine import indexing_client
from .mappings import index_body

BULK_SIZE = 1000  # operations per bulk request (~1-2 MB)
REBUILD_CHUNK = 100  # entries resolved at once for every gemeente in a rebuild


def alias(channel):
    return f"{settings.SEARCH_INDEX_PREFIX}-{channel}"


def new_index_name(channel):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
    return f"{alias(channel)}-{stamp}"


def entry_models():
    return [kind.model for kind in kinds()]


def documents_for(gemeente, channel, model, entries=None):
    """(id, document) pairs of the entries (default: all visible ones)."""
    queryset = visible_queryset(model, gemeente, channel) if entries is None else entries
    context = GemeenteContext.load(gemeente, agents=channel == AGENT)
    for resolved in resolve_many(queryset, gemeente, channel=channel, context=context):
        yield document_id(gemeente.slug, resolved.kind, resolved.id), build_document(resolved)


def documents_across(model, entries, gemeenten, channel, contexts=None):
    """(doc id, document or None) of the entries for every gemeente, in one
    pass (`resolve_across`); None where an entry does not resolve."""
    kind = get_kind(model).name
    for gemeente, entry_id, resolved in resolve_across(entries, gemeenten, channel=channel, contexts=contexts):
        yield document_id(gemeente.slug, kind, entry_id), build_document(resolved) if resolved else None


def bulk(client, index, operations):
    """Send index/delete operations in batches; raise if any item failed
    (a delete of a missing document is not a failure). One batch is sent
    while the next is built. Returns the number of operations."""
    lines, count, sent = [], 0, None
    with ThreadPoolExecutor(max_workers=1) as sender:
        for op, doc_id, document in operations:
            lines.append({op: {"_index": index, "_id": doc_id}})
            if op == "index":
                lines.append(document)
            count += 1
            if len(lines) >= BULK_SIZE * 2:
                if sent:
                    sent.result()
                sent, lines = sender.submit(_send, client, lines), []
        if sent:
            sent.result()
        if lines:
            _send(client, lines)
    return count


def _send(client, lines):
    response = client.bulk(body=lines)
    if not response.get("errors"):
        return
    failures = [
        item for result in response["items"] for op, item in result.items() if item.get("status", 200) >= 300 and not (op == "delete" and item.get("status") == 404)
    ]
    if failures:
        raise RuntimeError(f"{len(failures)} bulk operations failed, first: {failures[0]}")


def create_index(client, channel, filling=False):
    """A new index; `filling`: without refreshes and replicas until
    `filled` (bulk indexing is much cheaper without them)."""
    name = new_index_name(channel)
    body = index_body(channel)
    if filling:
        body["settings"].update(refresh_interval="-1", number_of_replicas=0, translog={"durability": "async"})
    client.indices.create(index=name, body=body)
    return name


def filled(client, index):
    """Back to the configured refreshes and replicas, and searchable."""
    replicas = getattr(settings, "SEARCH_INDEX_REPLICAS", 0)
    client.indices.put_settings(index=index, body={"index": {"refresh_interval": None, "number_of_replicas": replicas, "translog.durability": "request"}})
    client.indices.refresh(index=index)


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
    contexts = GemeenteContext.load_per_channel(gemeenten)
    try:
        for channel in CHANNELS:
            built[channel] = create_index(client, channel, filling=True)
            counts[channel] = _fill(client, built[channel], channel, gemeenten, contexts[channel == AGENT], progress)
            filled(client, built[channel])
        swap_aliases(client, built)
    except BaseException:
        delete_indexes(client, built.values())
        raise
    return counts


def _fill(client, index, channel, gemeenten, contexts, progress):
    """Every kind's entries in chunks, each resolved for all gemeenten in
    one pass. `progress` gets steps that add up to the number of gemeenten
    per kind (fractions per chunk)."""
    count = 0
    for model in entry_models():
        pks = list(
            model.objects.filter(Q(live=True) | agents_early_filter() if channel == AGENT else Q(live=True))
            .filter(shared_or_own(gemeenten))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(pks), REBUILD_CHUNK):
            chunk = model.objects.filter(pk__in=pks[start : start + REBUILD_CHUNK])
            documents = documents_across(model, chunk, gemeenten, channel, contexts)
            count += bulk(client, index, (("index", doc_id, doc) for doc_id, doc in documents if doc is not None))
            if progress:
                progress(len(gemeenten) * len(pks[start : start + REBUILD_CHUNK]) / len(pks))
        if progress and not pks:
            progress(len(gemeenten))
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


def apply_entry(model, entry_id, gemeente=None, gemeenten=None):
    """Bring the documents of one entry in line with the database for the
    gemeenten it touches (default: all it can touch; or one `gemeente`,
    or several `gemeenten`): index it where it resolves, delete it elsewhere."""
    client = indexing_client()
    entry = model.objects.filter(pk=entry_id).first()
    targets = gemeenten if gemeenten is not None else affected_gemeenten(entry, gemeente)
    if entry is None:
        kind = get_kind(model).name
        for channel in CHANNELS:
            bulk(client, alias(channel), (("delete", document_id(t.slug, kind, entry_id), None) for t in targets))
        return
    contexts = GemeenteContext.load_per_channel(targets)
    for channel in CHANNELS:
        documents = documents_across(model, [entry], targets, channel, contexts[channel == AGENT])
        bulk(client, alias(channel), (("index", doc_id, doc) if doc else ("delete", doc_id, None) for doc_id, doc in documents))


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
