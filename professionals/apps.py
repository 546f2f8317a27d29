from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfessionalsConfig(AppConfig):
    name = "professionals"
    verbose_name = _("Professionals")

    def ready(self) -> None:
        from professionals import notifications  # noqa: F401  (registers the certificate e-mail)
