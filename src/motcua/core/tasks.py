"""Background tasks of the core app (Django Tasks API; django-tasks-db by default)."""

from django_tasks import task

from .messaging.delivery import deliver


@task()
def deliver_message(message_id: int) -> str:
    return deliver(message_id)
