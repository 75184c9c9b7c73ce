from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("System and administrative units")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .converters import register
        from .summaries import install_triggers

        register()
        # Once every app's migrations ran (sender: this app), so that every table is there.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="motcua_watch")
