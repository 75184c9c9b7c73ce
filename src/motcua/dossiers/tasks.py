"""Background tasks of the dossiers app (Django Tasks API)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .partitions import ensure_partitions


@task()
def ensure_history_partitions() -> str:
    """Periodic (``motcua.core.schedule``): this year's and next year's partitions of the
    event history exist (PostgreSQL; nothing to do on SQLite)."""
    created = ensure_partitions()
    return _("%(count)d partition(s) created") % {"count": len(created)}
