"""Add a municipality with its own website; no code change needed.

    python manage.py add_gemeente --name Moerdijk --cbs-code 1709 \
        --hostname www.moerdijk.example --colour "#00529b" --phone "14 0168"
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from gemeenten.models import Gemeente
from themes.models import HouseStyle
from website.provisioning import provision_gemeente


class Command(BaseCommand):
    help = "Add (or update) a gemeente with its own Wagtail Site and house style."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--cbs-code", required=True, help="four digits, e.g. 0748")
        parser.add_argument("--hostname", required=True, help="the site's hostname, e.g. www.gemeente.nl")
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument("--slug", help="defaults to the slugified name")
        parser.add_argument("--colour", default="#154273", help="house colour, #rrggbb")
        parser.add_argument("--inhabitants", type=int, default=0)
        parser.add_argument("--phone", default="")

    def handle(self, *args, **opts):
        slug = opts["slug"] or slugify(opts["name"])
        candidate = Gemeente(name=opts["name"], slug=slug, cbs_code=opts["cbs_code"], inhabitants=opts["inhabitants"])
        style = HouseStyle(primary_colour=opts["colour"])
        try:
            candidate.clean_fields(exclude=["name", "slug", "site"])  # uniqueness is an update, not an error
            style.clean_fields(exclude=["site"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
        gemeente = provision_gemeente(
            name=opts["name"],
            slug=slug,
            cbs_code=opts["cbs_code"],
            hostname=opts["hostname"],
            port=opts["port"],
            house_style={"primary_colour": opts["colour"]},
            inhabitants=opts["inhabitants"],
            phone=opts["phone"],
        )
        self.stdout.write(self.style.SUCCESS(f"Gemeente {gemeente.name} ({gemeente.cbs_code}) → {gemeente.site.root_url}/"))
