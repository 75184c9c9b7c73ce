"""Background tasks of the upper-level portals (Django Tasks API)."""

from django_tasks import task

from .inbound import pull_inbox


@task()
def pull_portal_inbox() -> str:
    """Periodic (``motcua.core.schedule``): dossiers filed on the national portal."""
    found = pull_inbox()
    text = (
        f"{len(found.created)} hồ sơ mới, {len(found.duplicates)} trùng, {len(found.problems)} lỗi"
    )
    return f"{text}; cổng không trả lời: {found.unavailable}" if found.unavailable else text
