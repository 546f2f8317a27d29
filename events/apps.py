from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from events import notifications  # noqa: F401  (registers the notification builders)
        from events.signals import connect

        connect()  # changes bump the "events" generation (cached visitors' pages)
