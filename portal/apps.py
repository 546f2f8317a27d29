from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: pages that gather several apps (home, carer dashboard), the portal's
    information pages, demo and load data and the benchmark commands. Nothing imports it."""

    name = "portal"
    verbose_name = "Portal pages"

    def ready(self) -> None:
        from portal import notifications  # noqa: F401  (registers the retention warning)
        from portal.signals import connect

        connect()  # councils' names changed bump the "site" generation
