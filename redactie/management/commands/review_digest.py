from django.core.management.base import BaseCommand

from redactie.digest import send_digests


class Command(BaseCommand):
    help = "Stuurt eigenaren een overzicht van wat te herzien is en van open meldingen (e-mail)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} overzicht(en) verstuurd.")
