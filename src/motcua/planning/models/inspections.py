"""Inspections of administrative reform and the remediation of what they find; a leader's
directive can be recorded too and spawn tasks the same way."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

USER = settings.AUTH_USER_MODEL


class Inspection(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    scope = models.TextField(_("scope"))
    team = models.ManyToManyField(USER, verbose_name=_("team"), blank=True, related_name="+")
    team_other = models.CharField(_("other members"), max_length=300, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """A shortcoming found, with the reform criterion it bears on."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    shortcoming = models.TextField(_("shortcoming"))
    criterion = models.ForeignKey(
        "reports.Criterion",
        verbose_name=_("reform criterion concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence = models.FileField(_("evidence"), upload_to="planning/findings/%Y/", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.shortcoming[:80]


class Directive(models.Model):
    """A leader's directive (chỉ thị, kết luận, ý kiến chỉ đạo) whose points become tasks."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leader's directive")
        verbose_name_plural = _("leaders' directives")
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.reference or self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("to do")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class RemediationTask(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    title = models.TextField(_("task"))
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="remediation_tasks"
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completion_note = models.TextField(_("what was done"), blank=True)
    escalated_at = models.DateTimeField(_("escalated to the leader at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("remediation task")
        verbose_name_plural = _("remediation tasks")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["unit", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def done_on_time(self) -> bool | None:
        if self.completed_at is None:
            return None
        return self.completed_at <= self.deadline


class TaskEvidence(models.Model):
    task = models.ForeignKey(RemediationTask, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="planning/evidence/%Y/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence of completion")
        verbose_name_plural = _("evidence of completion")

    def __str__(self) -> str:
        return self.name
