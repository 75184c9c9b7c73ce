from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Reports and indices")

    def ready(self) -> None:
        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
        from .assessment import selectors  # noqa: F401  (the criteria findings may bear on)
