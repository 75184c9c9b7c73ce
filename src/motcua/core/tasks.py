"""Background tasks of the core app (Django Tasks API; django-tasks-db by default)."""

from django.utils.translation import gettext as _
from django_tasks import task

from .messaging.delivery import deliver, sweep


@task()
def deliver_message(message_id: int) -> str:
    return deliver(message_id)


@task()
def deliver_messages(message_ids: list[int]) -> str:
    """The messages one transaction queued, delivered one after the other."""
    return " ".join(deliver(message_id) for message_id in message_ids)


@task()
def sweep_outbox() -> str:
    """Periodic (``motcua.core.schedule``): retry due messages, release stuck claims."""
    return _("%(count)d message(s) tried") % {"count": sweep()}


@task()
def recover_stale_jobs() -> str:
    """Periodic: jobs left "in progress" by a dead worker (``motcua.core.recovery``)."""
    from .recovery import recover_stale_jobs as recover

    found = recover()
    return _("%(requeued)d job(s) run again, %(failed)d failed after a stopped worker") % {
        "requeued": len(found.requeued),
        "failed": len(found.failed),
    }


@task()
def sweep_orphan_files() -> str:
    """Periodic: stored files no row refers to, past the grace period (``motcua.core.orphans``)."""
    from .orphans import sweep_orphans

    swept = sweep_orphans()
    return _("%(count)d orphan file(s) moved aside") % {"count": len(swept.moved)}


@task()
def checkpoint_audit() -> str:
    """Periodic (daily): every audit chain verified, then its head checkpointed outside the
    database (``motcua.core.services.checkpoints``); a broken log is reported, not vouched for."""
    from .services.checkpoints import check_and_checkpoint

    return check_and_checkpoint().summary()


@task()
def refresh_figure_summaries() -> str:
    """Periodic: the reports' closed-period summaries (``motcua.core.summaries``)."""
    from .summaries import refresh

    found = refresh()
    if found is None:
        return _("another run is making the summaries")
    return _("%(changes)d change(s) read, %(written)d summary(ies) written") % {
        "changes": found[0],
        "written": found[1],
    }
