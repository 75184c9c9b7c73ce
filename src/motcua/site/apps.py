from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "motcua.site"
    label = "site"
    verbose_name = _("Ward websites")

    def ready(self) -> None:
        from . import (
            figures,  # noqa: F401  (registers its figures in motcua.core.figures)
            signals,  # noqa: F401  (page cache invalidation, editor groups)
        )
