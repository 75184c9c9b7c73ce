"""Background tasks of the reports (Django Tasks API)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .services import send_last_months_reports


@task()
def send_monthly_reports() -> str:
    """Periodic (``motcua.core.schedule``): last month's report to every unit's leaders."""
    return _("%(count)d monthly report(s) sent") % {"count": send_last_months_reports()}
