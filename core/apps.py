from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal"

    def ready(self) -> None:
        from core import notify  # noqa: F401  (registers the staff summary builder)
