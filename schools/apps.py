from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self) -> None:
        from schools import notifications  # noqa: F401  (registers the advice reply and summary)
