from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("One-stop desk")

    def ready(self) -> None:
        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
