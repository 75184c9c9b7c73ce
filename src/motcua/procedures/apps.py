from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "motcua.procedures"
    label = "procedures"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import FeeOption, RequiredPaper, WorkflowStep

        for part in (FeeOption, RequiredPaper, WorkflowStep):
            post_save.connect(_touch_procedure, sender=part, dispatch_uid=f"touch.{part.__name__}")
            post_delete.connect(
                _touch_procedure, sender=part, dispatch_uid=f"touch-del.{part.__name__}"
            )


def _touch_procedure(sender: type, instance: object, **kwargs: object) -> None:
    """A fee, paper or step changed: its procedure's cached parts are out of date."""
    from .selectors import forget_parts
    from .services.parts import touch

    touch(instance.procedure_id)  # type: ignore[attr-defined]  # for the other processes
    forget_parts(instance.procedure_id)  # type: ignore[attr-defined]  # and for this one
