from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("System and administrative units")

    def ready(self) -> None:
        from .converters import register

        register()
