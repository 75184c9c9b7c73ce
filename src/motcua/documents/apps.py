from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = _("Official documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
