from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "carers"

    def ready(self) -> None:
        from carers import notifications  # noqa: F401  (registers the digest builder)
