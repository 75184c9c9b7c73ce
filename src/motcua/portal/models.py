"""What the citizen portal keeps: drafts being filled in, payments, ratings, contact codes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit
from motcua.dossiers.models import Channel, Dossier
from motcua.procedures.models import Procedure, RequiredPaper

USER = settings.AUTH_USER_MODEL


class Draft(models.Model):
    """An online application being filled in: saved on every change, submitted once.

    Kept apart from dossiers so that an unfinished application never enters the desk's queues
    or the figures. ``owner`` is the citizen, or the desk officer helping at the counter.
    """

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="portal_drafts")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online application draft")
        verbose_name_plural = _("online application drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.procedure.name} — {self.updated_at:%d/%m/%Y %H:%M}"


class DraftFile(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    required_paper = models.ForeignKey(
        RequiredPaper, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("paper"), max_length=500)
    file = models.FileField(_("file"), upload_to="portal/drafts/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "id"]

    def __str__(self) -> str:
        return self.original_name or self.name


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the gateway")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")
    FAILED = "failed", _("failed")


class Payment(models.Model):
    """One attempt to pay a dossier's fee through the gateway (VNPAY protocol)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    txn_ref = models.CharField(_("payment reference"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway = models.CharField(max_length=20, default="vnpay")
    gateway_transaction_no = models.CharField(_("gateway transaction"), max_length=40, blank=True)
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notifications_received = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_status_display()})"


class RatingSource(models.TextChoices):
    ONLINE = "online", _("online, by the applicant")
    LOOKUP = "lookup", _("on the public look-up page")
    KIOSK = "kiosk", _("at the counter kiosk")


class TimeRating(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class ContactsRating(models.TextChoices):
    NONE = "0", _("none: the dossier was complete at once")
    ONCE = "1", _("once")
    MORE = "2+", _("more than once")


class AgenciesRating(models.TextChoices):
    ONE = "1", _("only the one-stop desk")
    TWO = "2", _("two agencies")
    MORE = "3+", _("three or more agencies")


class AttitudeRating(models.TextChoices):
    COURTEOUS = "courteous", _("courteous and helpful")
    MIXED = "mixed", _("sometimes not courteous")
    HARASSING = "harassing", _("caused trouble or asked for more than the law requires")


class PublicityRating(models.TextChoices):
    FULL = "full", _("published in full and correctly")
    PARTIAL = "partial", _("published, but incomplete")
    NONE = "none", _("not published or wrong")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


# Thông tư 01/2018 Điều 13: each item scores 2, 1 or 0 points.
POINTS = {
    "time": {TimeRating.EARLY: 2, TimeRating.ON_TIME: 1, TimeRating.LATE: 0},
    "contacts": {ContactsRating.NONE: 2, ContactsRating.ONCE: 1, ContactsRating.MORE: 0},
    "agencies": {AgenciesRating.ONE: 2, AgenciesRating.TWO: 1, AgenciesRating.MORE: 0},
    "attitude": {AttitudeRating.COURTEOUS: 2, AttitudeRating.MIXED: 1, AttitudeRating.HARASSING: 0},
    "publicity": {PublicityRating.FULL: 2, PublicityRating.PARTIAL: 1, PublicityRating.NONE: 0},
}


class Rating(models.Model):
    """The applicant's evaluation of one dossier (TT 01/2018 items and overall satisfaction)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    source = models.CharField(_("rated"), max_length=10, choices=RatingSource.choices)
    time = models.CharField(_("processing time"), max_length=10, choices=TimeRating.choices)
    contacts = models.CharField(
        _("times you had to come back to complete the dossier"),
        max_length=3,
        choices=ContactsRating.choices,
    )
    agencies = models.CharField(
        _("agencies you had to contact"), max_length=3, choices=AgenciesRating.choices
    )
    attitude = models.CharField(_("staff attitude"), max_length=10, choices=AttitudeRating.choices)
    publicity = models.CharField(
        _("publicity of the procedure"), max_length=10, choices=PublicityRating.choices
    )
    satisfaction = models.CharField(
        _("overall satisfaction"), max_length=20, choices=Satisfaction.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_satisfaction_display()}"

    def points(self) -> dict[str, int]:
        return {item: table[getattr(self, item)] for item, table in POINTS.items()}


class VerificationCode(models.Model):
    """A 6-digit code proving the citizen owns an e-mail address or a phone number."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)  # "email" | "sms"
    recipient = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient}"
