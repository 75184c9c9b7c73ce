"""Crash recovery: background work left "in progress" by a worker that died (SIGKILL, power cut,
out of memory) is found by the periodic job ``recover_stale_jobs`` and run again or failed.

Each kind of work keeps the time a worker took it (certification ``signing_claimed_at``, outbox
``claimed_at``); older than ``MOTCUA_STALE_AFTER[kind]`` seconds it is stale. Every recovery is
one compare-and-set UPDATE (``WHERE state = 'in progress' AND claimed_at = <the stale value>``)
in a transaction with its audit event, so two schedulers, or two workers running the job at
once, never both recover the same item: the second UPDATE matches no row.

A worker killed mid-task also leaves its django-tasks row RUNNING for ever; such rows older
than ``MOTCUA_STALE_AFTER["task"]`` are marked FAILED (with the reason), so that no one waits
for them and the administrator sees what happened. The item itself is queued again by its own
recoverer, as a new task; the dead task is never run twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .services import audit

log = logging.getLogger(__name__)

# One function per kind of in-progress state: ``recover(now) -> Recovered``.
RECOVERERS = [
    "motcua.certification.recovery.recover_stale_signing",
    "motcua.core.messaging.delivery.recover_stale_sending",
]
TASK_RESULT_REASON = (
    "Tiến trình xử lý đã dừng đột ngột (bị tắt hoặc hỏng) khi đang chạy việc này; "
    "việc được đánh dấu thất bại bởi bước khôi phục tự động."
)


class WorkerLost(Exception):
    """The worker running the task stopped without finishing it (recorded on the task row)."""


@dataclass
class Recovered:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __add__(self, other: "Recovered") -> "Recovered":
        return Recovered(self.requeued + other.requeued, self.failed + other.failed)


def stale_after(kind: str) -> timedelta:
    return timedelta(seconds=int(settings.MOTCUA_STALE_AFTER[kind]))


def max_attempts() -> int:
    return int(settings.MOTCUA_STALE_MAX_ATTEMPTS)


def recover_stale_jobs(now: datetime | None = None) -> Recovered:
    """Mark dead task rows failed, then let each kind requeue or fail its stale items."""
    now = now or timezone.now()
    found = Recovered(failed=fail_stale_task_results(now))
    for path in RECOVERERS:
        recover: Callable[[datetime], Recovered] = import_string(path)
        found = found + recover(now)
    return found


def fail_stale_task_results(now: datetime) -> list[str]:
    """django-tasks rows RUNNING longer than the task timeout: FAILED, once each."""
    if not apps.is_installed("django_tasks_db"):
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = now - stale_after("task")
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    failed = []
    for row in stale.only("id", "started_at", "task_path", "worker_ids"):
        with transaction.atomic():
            taken = DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__module__}.WorkerLost: {TASK_RESULT_REASON}\n",
                return_value=None,
            )
            if not taken:
                continue  # finished meanwhile, or another recovery took it
            audit.record(
                actor=None,
                action="recovery.task_failed",
                unit=None,
                object_type="django_tasks_db.dbtaskresult",
                object_id=str(row.pk),
                object_repr=row.task_path[:300],
                after={"started_at": str(row.started_at), "worker_ids": row.worker_ids},
                reason=TASK_RESULT_REASON,
            )
        log.warning("Task %s (%s) was left running by a dead worker", row.pk, row.task_path)
        failed.append(f"task:{row.pk}")
    return failed
