"""Background tasks of the planning module (Django Tasks API)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .services.remediation import escalate_overdue


@task()
def escalate_overdue_tasks() -> str:
    """Periodic (``motcua.core.schedule``): overdue remediation tasks to the unit's leaders."""
    return _("%(count)d overdue task(s) escalated") % {"count": escalate_overdue()}
