"""What bench/load.py --faults found (issue 11): an answer of several
paragraphs published in the admin lost the words where its paragraphs met
in the search document, and the outbox worker stopped for good when
PostgreSQL restarted (now the task worker that runs the outbox's drains)."""

import pytest
from django.core.management import call_command
from django.db import OperationalError

from sharing.resolution import AGENT, resolve
from tests.admin_forms import post_edit_form, rich_text
from tests.factories import make_gemeente, make_vac, regional_curator
from zoeken.documents import build_document
from zoeken.management.commands import process_search_outbox, task_worker


@pytest.mark.django_db
def test_words_where_paragraphs_and_list_items_meet_stay_words_in_the_search_document(client):
    vac = make_vac(slug="paspoort-kwijt")
    client.force_login(regional_curator())
    answer = "<p>Doe aangifte bij de politie.</p><p>Neem een pasfoto mee.</p><ul><li>rijbewijs</li><li>ID-kaart</li></ul><p>Klaar</p>"
    response = post_edit_form(client, vac, {"answer_nl": rich_text(answer)}, action="action-publish")
    assert response.status_code == 302, response.content.decode()[:2000]
    vac.refresh_from_db()
    assert "</p><p" in vac.answer_nl, "the editor stores blocks side by side (what this test is about)"

    body = build_document(resolve(vac, make_gemeente(), channel=AGENT))["body"]

    assert body == "Doe aangifte bij de politie. Neem een pasfoto mee. rijbewijs ID-kaart Klaar"


def test_inline_markup_inside_a_word_does_not_split_it():
    from zoeken.documents import plain

    assert plain("<p>pas<b>poort</b> en <a href='/x'>rijbewijs</a><br>kwijt</p>") == "paspoort en rijbewijs kwijt"


class Stop(Exception):
    pass


def test_the_task_worker_survives_a_database_restart(settings, monkeypatch, capsys):
    """The drains run in the task worker (docs/decisions/0001-background-work.md);
    django-tasks-db's own loop exits on a lost connection, ours goes on."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's
    calls = []

    def run(worker):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        raise Stop

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(task_worker.time, "sleep", lambda seconds: None)
    with pytest.raises(Stop):
        call_command("task_worker", "--no-startup-delay")
    assert len(calls) == 2, "it ran the worker again after the database error"
    assert "database error, trying again in 1 s: terminating connection" in capsys.readouterr().err


def test_a_single_outbox_run_still_fails_on_a_database_error(monkeypatch):
    def process():
        raise OperationalError("connection refused")

    monkeypatch.setattr(process_search_outbox, "process", process)
    with pytest.raises(OperationalError):
        call_command("process_search_outbox")
