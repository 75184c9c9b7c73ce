"""Reform initiatives (sáng kiến), propaganda (tuyên truyền) and the desk's conduct."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

USER = settings.AUTH_USER_MODEL


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted, waiting for the council")
    RECOGNISED = "recognised", _("recognised")
    NOT_RECOGNISED = "not_recognised", _("not recognised")


class Initiative(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    authors = models.ManyToManyField(USER, verbose_name=_("authors"), related_name="initiatives")
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("solution"))
    expected_effect = models.TextField(_("expected effect"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    council = models.ManyToManyField(USER, verbose_name=_("council"), blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("council's conclusion"), blank=True)
    applied_from = models.DateField(_("applied from"), null=True, blank=True)
    measured_effect = models.TextField(_("measured effect"), blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title


class CouncilOpinion(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    in_favour = models.BooleanField(_("in favour of recognition"))
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council member's opinion")
        verbose_name_plural = _("council members' opinions")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="opinion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.in_favour}"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("meeting or conference")
    LOUDSPEAKER = "loudspeaker", _("loudspeaker system")
    WEBSITE = "website", _("website article")
    SOCIAL = "social", _("social media post")
    LEAFLET = "leaflet", _("leaflets and posters")
    OTHER = "other", _("other")


class PropagandaActivity(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("content"), max_length=300)
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/propaganda/%Y/", blank=True)
    link = models.URLField(_("link"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("propaganda activity")
        verbose_name_plural = _("propaganda activities")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


# "4 xin, 4 luôn": the desk's conduct standard, item by item.
CONDUCT_ITEMS = [
    ("greets", _("says hello (xin chào)")),
    ("apologises", _("apologises (xin lỗi)")),
    ("thanks", _("thanks (xin cảm ơn)")),
    ("asks_leave", _("asks permission (xin phép)")),
    ("smiles", _("always smiles (luôn mỉm cười)")),
    ("gentle", _("always gentle (luôn nhẹ nhàng)")),
    ("listens", _("always listens (luôn lắng nghe)")),
    ("helps", _("always helps (luôn giúp đỡ)")),
]


class DeskInspection(models.Model):
    """A periodic check of a desk officer against the "4 xin, 4 luôn" standard."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        USER, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="desk_inspections"
    )
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("date"))
    items = models.JSONField(_("items met"), default=dict)  # item key → True/False
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("desk conduct check")
        verbose_name_plural = _("desk conduct checks")
        ordering = ["-inspected_on"]

    def __str__(self) -> str:
        return f"{self.officer} {self.inspected_on:%d/%m/%Y}"

    @property
    def met(self) -> int:
        return sum(1 for key, _label in CONDUCT_ITEMS if self.items.get(key))


class Complaint(models.Model):
    """A citizen's complaint about an officer's conduct; a substantiated one counts against
    the officer's evaluation (Thông tư 01/2018, indicator 7)."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        USER, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="complaints"
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"))
    feedback = models.ForeignKey(
        "site.Feedback", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    substantiated = models.BooleanField(_("substantiated"), null=True)
    resolution = models.TextField(_("resolution"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint about an officer")
        verbose_name_plural = _("complaints about officers")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.officer} {self.received_on:%d/%m/%Y}"
