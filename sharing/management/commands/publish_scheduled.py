"""Wagtail's `publish_scheduled`, then ours (sharing/scheduling.py): held
override changes whose date came, entries that reach agents early, fee
values that take effect. Run it every minute or so (cron, a systemd timer;
`make demo` runs it in a loop)."""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from sharing import scheduling


class Command(WagtailCommand):
    help = "Publiceert wat gepland is: Wagtails geplande revisies en verlopen items, lokale wijzigingen en leges op hun datum."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options.get("dryrun"):
            return
        report = scheduling.run()
        self.stdout.write(
            f"Lokale wijzigingen live: {report['override_changes']}; "
            f"nieuw voor KCC: {report['entries_for_agents']}; "
            f"leges/waarden van kracht: {report['variable_values']}"
        )
