"""What bad input costs against a normal query (issue 15, "Bad input").

    python bench/bad_queries.py [--rounds 5]

Needs the demo loaded and indexed on the configured database and engine
(`load_demo`, `rebuild_search_index`). Sequential, in-process:

- request: the agent search endpoint through Django's test client
  (routing, validation, search, logging, spelling check, JSON), as an
  agent of the gemeente;
- engine: the engine's own `took` of every search request made during it
  (0 when none).

Normal queries are the relevance set's; the bad ones are a query of only
stop words, only punctuation, and 10,000 characters (the API refuses it
with a 414, the website cuts it to 200 characters and searches those:
measured through zoeken.service.search as the website calls it).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.dev")

BAD = {
    "only stop words": ["de het een", "wanneer waarom welke", "hoe kan ik dat", "wat is het"],
    "only punctuation": ['?!', '" * ( ) \\ ~ ^', "... --- ???", "🙂👍"],
    "10,000 characters": [
        "paspoort " * 1111 + "x",
        ("hoe vraag ik een nieuw paspoort aan voor mijn kind als wij gaan verhuizen naar het buitenland " * 110)[:10_000],
        ("identiteitskaart rijbewijs parkeervergunning hondenbelasting afvalcontainer omgevingsvergunning " * 110)[:10_000],
    ],
}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def timed(run):
    """Run `run()`: its time in ms and the engine's `took` of every search
    request it sent (0 when none)."""
    from zoeken import service

    tooks = []
    original = service.get_client

    class Counting:
        def __init__(self, client):
            self.client = client

        def search(self, **kwargs):
            response = self.client.search(**kwargs)
            tooks.append(float(response["took"]))
            return response

        def __getattr__(self, name):
            return getattr(self.client, name)

    with mock.patch.object(service, "get_client", lambda: Counting(original())):
        started = time.perf_counter()
        run()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, sum(tooks)


def measure(label, queries, gemeente, client, rounds, via_api=True):
    from django.urls import reverse

    from sharing.resolution import AGENT
    from zoeken import service

    url = reverse("api:agent-search", args=[gemeente.slug])
    requests, engines, statuses = [], [], set()
    for _ in range(rounds):
        for query in queries:
            if via_api:
                elapsed, took = timed(lambda: statuses.add(client.get(url, {"q": query}).status_code))
            else:  # as the website searches: its first 200 characters (website.views.clean_query)
                elapsed, took = timed(lambda: service.search(query[:200], gemeente, channel=AGENT))
            requests.append(elapsed)
            engines.append(took)
    sample = client.get(url, {"q": queries[0]})
    answer = sample.json()
    what = answer.get("notice") or answer.get("error") or f"{answer.get('total')} results"
    return {
        "case": label,
        "n": len(requests),
        "request p50 ms": round(percentile(requests, 50), 2),
        "request p95 ms": round(percentile(requests, 95), 2),
        "engine p50 ms": round(percentile(engines, 50), 2),
        "engine p95 ms": round(percentile(engines, 95), 2),
        "engine mean ms": round(statistics.fmean(engines), 2),
        "statuses": sorted(statuses) or "service.search",
        "API answer": f"{sample.status_code}: {what[:90]}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over each list of queries")
    parser.add_argument("--gemeente", default="roosendaal")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from gemeenten.models import Gemeente, Membership, Role

    gemeente = Gemeente.objects.get(slug=args.gemeente)
    agent, _ = get_user_model().objects.get_or_create(username="bench-bad-queries", defaults={"is_staff": True})
    Membership.objects.get_or_create(user=agent, role=Role.AGENT, gemeente=gemeente)
    client = Client(HTTP_HOST="localhost")
    client.force_login(agent)
    normal = [case["query"] for case in json.loads((ROOT / "tests/relevance/queries.json").read_text()) if case["gemeente"] == args.gemeente]
    for query in normal[:3]:  # warm up
        client.get(f"/api/v1/agent/gemeenten/{gemeente.slug}/zoeken", {"q": query})
    rows = [measure("normal (relevance set)", normal, gemeente, client, args.rounds)]
    rows += [measure(label, queries, gemeente, client, args.rounds) for label, queries in BAD.items()]
    rows.append(measure("10,000 characters, as the website searches them", BAD["10,000 characters"], gemeente, client, args.rounds, via_api=False))
    print(f"load average: {os.getloadavg()}")
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
