from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    verbose_name = _("Upper-level portals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.core.events import dossier_changed
        from motcua.core.messaging import channels
        from motcua.core.models import OutboxChannel

        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
        from .delivery import send
        from .services import on_dossier_changed

        dossier_changed.connect(on_dossier_changed, dispatch_uid="interop.sync")
        channels.register(OutboxChannel.PORTAL, send)
