"""Background tasks of the core app (Django Tasks API; django-tasks-db by default)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .messaging.delivery import deliver, sweep


@task()
def deliver_message(message_id: int) -> str:
    return deliver(message_id)


@task()
def sweep_outbox() -> str:
    """Periodic (``motcua.core.schedule``): retry due messages, release stuck claims."""
    return _("%(count)d message(s) tried") % {"count": sweep()}
