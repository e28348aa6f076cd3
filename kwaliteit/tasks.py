"""The broken-link check as a background task (django-tasks): the
scheduler (cron or a systemd timer, docs/kwaliteit.md) runs
`manage.py check_links`, which enqueues it or runs it right away."""

from django_tasks import task

from .links import check_links, collect_links


@task()
def check_all_links(limit=None):
    collect_links()
    return check_links(limit=limit)
