from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalOfferConfig(AppConfig):
    name = "localoffer"
    verbose_name = _("Kinship local offers")

    def ready(self) -> None:
        from localoffer import notifications  # noqa: F401  (registers the morning summary section)
        from localoffer.signals import connect

        connect()  # changes bump the "localoffer" generation (cached visitors' pages)
