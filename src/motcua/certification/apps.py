from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "motcua.certification"
    verbose_name = _("Electronic certified copies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
