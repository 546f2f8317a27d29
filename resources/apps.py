from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _full_text_index(using="default", **kwargs):
    """A migration that rebuilt resources_resource on SQLite dropped the index's triggers."""
    from django.db import connections

    from resources import fts

    fts.ensure(connections[using])


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self):
        from resources.signals import connect

        post_migrate.connect(_full_text_index, sender=self, dispatch_uid="resources-fts")
        connect()  # changes bump the "resources" generation (cached visitors' pages)
