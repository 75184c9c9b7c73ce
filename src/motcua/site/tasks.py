"""Background tasks of the websites (Django Tasks API)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .visits.counting import flush, rollover


@task()
def close_visit_periods() -> str:
    """Periodic (``motcua.core.schedule``): write buffered visits, close finished periods."""
    written = flush()
    closed = rollover()
    return _("%(written)d visit(s) written, %(closed)d period(s) closed") % {
        "written": written,
        "closed": closed,
    }
