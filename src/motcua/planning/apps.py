from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "motcua.planning"
    label = "planning"
    verbose_name = _("Work discipline and reform management")

    def ready(self) -> None:
        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
