"""The background worker of production: django-tasks-db's `db_worker`
(the search outbox's drains, Wagtail's reference-index updates), kept
running when the database restarts. db_worker itself exits on the first
lost connection; this one waits and goes on, as the outbox worker did
(issue 11)."""

import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "Run background tasks (the database task backend's worker); survives a database restart."

    def handle(self, *args, **options):
        while True:
            try:
                return super().handle(*args, **options)
            except DatabaseError as exc:
                pause = max(options["interval"], 1.0)
                self.stderr.write(f"database error, trying again in {pause:g} s: {exc}".strip())
                connections.close_all()
                time.sleep(pause)
