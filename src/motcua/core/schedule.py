"""Periodic jobs: django-tasks has no scheduler, so ``manage.py run_schedule`` calls
``enqueue_due`` every few seconds and the task worker (``db_worker``) runs what it queues.

Each job is claimed for its period by a conditional UPDATE of its ``PeriodicRun`` row before it
is queued, so two schedulers, or a restarted one, never queue the same period twice. A job whose
previous run still waits in the queue (worker stopped) is not queued again, so a stopped worker
finds one run per job waiting, not a backlog. The outcome of the last finished run is copied to
``PeriodicRun.last_result`` for the administrator.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import PeriodicRun

log = logging.getLogger(__name__)

OUTBOX_SWEEP = "outbox_sweep"
MAILBOX_POLL = "mailbox_poll"
VISITS = "website_visits"
MONTHLY_REPORTS = "monthly_reports"
ESCALATION = "task_escalation"
RECOVERY = "recover_stale_jobs"
ORPHANS = "orphan_files"
AUDIT_CHECKPOINT = "audit_checkpoint"
PORTAL_INBOX = "portal_inbox"
HISTORY_PARTITIONS = "history_partitions"
FIGURE_SUMMARIES = "figure_summaries"


@dataclass(frozen=True)
class PeriodicJob:
    task: str  # import path of a django-tasks task that takes no arguments
    setting: str  # the setting holding the interval in seconds
    default_seconds: int

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=int(getattr(settings, self.setting, self.default_seconds)))

    def load(self) -> Task:
        task: Task = import_string(self.task)
        return task


JOBS: dict[str, PeriodicJob] = {
    # Retry messages whose next attempt is due; release claims left by a crashed worker.
    OUTBOX_SWEEP: PeriodicJob("motcua.core.tasks.sweep_outbox", "MOTCUA_OUTBOX_SWEEP_SECONDS", 60),
    # Register incoming documents from every active official mailbox.
    MAILBOX_POLL: PeriodicJob(
        "motcua.documents.tasks.poll_mailboxes", "MOTCUA_MAILBOX_POLL_SECONDS", 300
    ),
    # Write the websites' buffered visits; close finished days, weeks and months.
    VISITS: PeriodicJob(
        "motcua.site.tasks.close_visit_periods", "MOTCUA_VISITS_ROLLOVER_SECONDS", 300
    ),
    # Last month's report to every unit's leaders, once (checked hourly).
    MONTHLY_REPORTS: PeriodicJob(
        "motcua.reports.tasks.send_monthly_reports", "MOTCUA_MONTHLY_REPORT_CHECK_SECONDS", 3600
    ),
    # Remediation tasks past their deadline, to the unit's leaders, once each.
    ESCALATION: PeriodicJob(
        "motcua.planning.tasks.escalate_overdue_tasks", "MOTCUA_ESCALATION_SECONDS", 3600
    ),
    # Work left "in progress" by a worker that died: run again, or failed with the reason.
    RECOVERY: PeriodicJob("motcua.core.tasks.recover_stale_jobs", "MOTCUA_RECOVERY_SECONDS", 300),
    # Uploaded files no row refers to (a receipt killed before its commit), after a grace period.
    ORPHANS: PeriodicJob(
        "motcua.core.tasks.sweep_orphan_files", "MOTCUA_ORPHAN_SWEEP_SECONDS", 3600
    ),
    # The audit log verified from its first event and against the checkpoints outside the
    # database; then the chains' heads checkpointed again (daily).
    AUDIT_CHECKPOINT: PeriodicJob(
        "motcua.core.tasks.checkpoint_audit", "MOTCUA_AUDIT_CHECKPOINT_SECONDS", 86400
    ),
    # Dossiers filed on the national portal, into the desk queue (when MOTCUA_PORTAL_INBOUND).
    PORTAL_INBOX: PeriodicJob(
        "motcua.interop.tasks.pull_portal_inbox", "MOTCUA_PORTAL_INBOX_SECONDS", 300
    ),
    # Next year's partition of the dossiers' event history, created ahead of time (PostgreSQL).
    HISTORY_PARTITIONS: PeriodicJob(
        "motcua.dossiers.tasks.ensure_history_partitions", "MOTCUA_PARTITION_CHECK_SECONDS", 86400
    ),
    # The reports' closed-period summaries: stale ones dropped, missing ones made.
    FIGURE_SUMMARIES: PeriodicJob(
        "motcua.core.tasks.refresh_figure_summaries", "MOTCUA_FIGURE_SUMMARY_SECONDS", 300
    ),
}


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every job whose interval has passed since it was last queued; returns their names."""
    now = now or timezone.now()
    PeriodicRun.objects.bulk_create(
        [PeriodicRun(name=name) for name in JOBS], ignore_conflicts=True
    )
    runs = {run.name: run for run in PeriodicRun.objects.filter(name__in=JOBS)}
    enqueued = []
    for name, job in JOBS.items():
        run = runs[name]
        previous = _previous_result(job, run)
        if previous is not None:
            _record(run, previous)
            if previous.status == TaskResultStatus.READY:
                continue  # the last run has not started: the worker is behind or stopped
        if not _claim(name, job.interval, now):
            continue  # not due, or another scheduler took this period
        try:
            result = job.load().enqueue()
        except Exception:
            # Give the period back, so that the next check tries again.
            PeriodicRun.objects.filter(name=name, last_enqueued_at=now).update(
                last_enqueued_at=run.last_enqueued_at
            )
            log.exception("Could not queue the periodic job %s", name)
            continue
        PeriodicRun.objects.filter(name=name).update(last_task_id=str(result.id))
        _record(run, result)  # finished already with a backend that runs tasks at once
        enqueued.append(name)
    return enqueued


def _claim(name: str, interval: timedelta, now: datetime) -> bool:
    # Due when never queued, queued an interval ago or more, or stamped further ahead than an
    # interval (a clock that was wrong); a clock skew shorter than the interval never doubles.
    due = (
        Q(last_enqueued_at__isnull=True)
        | Q(last_enqueued_at__lte=now - interval)
        | Q(last_enqueued_at__gt=now + interval)
    )
    return PeriodicRun.objects.filter(due, name=name).update(last_enqueued_at=now) == 1


def _previous_result(job: PeriodicJob, run: PeriodicRun) -> TaskResult | None:
    """The run queued last, if the backend can still tell (ImmediateBackend cannot)."""
    if not run.last_task_id:
        return None
    backend = job.load().get_backend()
    if not backend.supports_get_result:
        return None
    try:
        result: TaskResult = backend.get_result(run.last_task_id)
    except TaskResultDoesNotExist:  # pruned, or queued on another backend
        return None
    return result


def _record(run: PeriodicRun, result: TaskResult) -> None:
    """Copy a finished run's outcome to ``last_result`` (once)."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        text = _("done: %(result)s") % {"result": result.return_value}
    elif result.status == TaskResultStatus.FAILED:
        lines = result.errors[-1].traceback.strip().splitlines() if result.errors else []
        text = _("failed: %(error)s") % {"error": lines[-1] if lines else "?"}
    else:
        return
    text = text[:2000]
    if text != run.last_result:
        PeriodicRun.objects.filter(name=run.name).update(last_result=text)
        run.last_result = text
