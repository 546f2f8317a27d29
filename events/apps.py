from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events import notifications  # noqa: F401  (registers the notification builders)
