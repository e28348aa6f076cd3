from django.apps import AppConfig


class NieuwsConfig(AppConfig):
    """A third entry kind that exists only in the tests: news for agents
    and citizens. It proves the kind contract — one app plus one
    registration, and resolution, the sites, the API, search and the leak
    crawl serve it without a change anywhere else."""

    name = "tests.nieuws"
    label = "nieuws"
    verbose_name = "Nieuws (testsoort)"

    def ready(self):
        from sharing.kinds import register

        from .kinds import NEWS

        register(NEWS)
