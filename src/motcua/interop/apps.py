from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    verbose_name = _("Upper-level portals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.core.events import dossier_changed
        from motcua.core.messaging import channels
        from motcua.core.models import OutboxChannel

        from . import figures  # noqa: F401  (registers its figures in motcua.core.figures)
        from .delivery import send
        from .models import StatusMapping
        from .services import forget_mapping, on_dossier_changed

        dossier_changed.connect(on_dossier_changed, dispatch_uid="interop.sync")
        post_save.connect(forget_mapping, sender=StatusMapping, dispatch_uid="interop.map")
        post_delete.connect(forget_mapping, sender=StatusMapping, dispatch_uid="interop.unmap")
        channels.register(OutboxChannel.PORTAL, send)
