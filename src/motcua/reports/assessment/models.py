"""The reform self-assessment (tự đánh giá, chấm điểm Chỉ số cải cách hành chính): a criteria
tree that each province sets for each year, the units' scores with evidence, the province's
review. Criteria and points are data: they differ by province and year (DOMAIN.md §8)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

USER = settings.AUTH_USER_MODEL


class CriteriaSet(models.Model):
    province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    open_for_scoring = models.BooleanField(
        _("open for scoring"), default=True, help_text=_("Units score and submit while open.")
    )

    class Meta:
        verbose_name = _("reform criteria set")
        verbose_name_plural = _("reform criteria sets")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="criteria_set_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Scoring(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic, from a report figure")
    MANUAL = "manual", _("manual, with evidence")
    GROUP = "group", _("group: the sum of its sub-criteria")


class Criterion(models.Model):
    """A group, criterion or sub-criterion. Automatic ones score max × the figure's share over
    the year, or the full points when the figure reaches ``threshold``; a count (initiatives,
    activities) scores the full points from ``threshold`` on, one when it is empty."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices)
    figure = models.CharField(_("figure"), max_length=60, blank=True)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Automatic criteria: full points at this value or more, a share (0.9 = 90%) or a "
            "count (4 = four or more); empty: points in proportion to a share, full points "
            "for a count of one or more."
        ),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    guidance = models.TextField(_("how to score"), blank=True)

    class Meta:
        verbose_name = _("reform criterion")
        verbose_name_plural = _("reform criteria")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("being scored by the unit")
    SUBMITTED = "submitted", _("submitted, waiting for the province")
    RETURNED = "returned", _("returned by the province for corrections")
    REVIEWED = "reviewed", _("reviewed by the province")


class SelfAssessment(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("province's note"), blank=True)

    class Meta:
        verbose_name = _("reform self-assessment")
        verbose_name_plural = _("reform self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit"], name="assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criteria_set}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    measured = models.CharField(_("measured"), max_length=200, blank=True)  # automatic ones
    explanation = models.TextField(_("explanation"), blank=True)
    reviewed_points = models.DecimalField(
        _("points after review"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


class Evidence(models.Model):
    score = models.ForeignKey(CriterionScore, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="reports/evidence/%Y/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name
