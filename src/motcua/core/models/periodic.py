"""When each periodic job (``motcua.core.schedule``) was last put on the task queue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One row per periodic job; the scheduler claims a period by a conditional UPDATE."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    # The task queued last, so a run still waiting in the queue is not queued again.
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
