"""Electronic certified copies from originals (DOMAIN.md §4): the check of the original, the
SCT/BS register, the signed copies, the signing keys and the fee schedule."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image

from motcua.core.models import AdministrativeUnit
from motcua.core.varpaths import under_var_dir
from motcua.dossiers.models import Dossier

USER = settings.AUTH_USER_MODEL
COPY_REGISTER = "SCT/BS"


class RefusalReason(models.TextChoices):
    """Nghị định 23/2015 Điều 22: originals that may not be copied and certified."""

    ALTERED = "altered", _("altered, erased or with added content that is not validly corrected")
    DAMAGED = "damaged", _("damaged or illegible, so that its content cannot be determined")
    SECRET = "secret", _("marked secret or “không được sao chụp” (not to be copied)")
    UNLAWFUL = "unlawful", _("content unlawful, immoral, or propaganda against the State")
    SELF_MADE = (
        "self_made",
        _("self-made by the individual without a competent body's confirmation"),
    )


class CertificationStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the check of the original")
    CHECKED = "checked", _("original checked, waiting for the signature")
    SIGNING = "signing", _("being signed")
    SIGNED = "signed", _("signed")
    SIGNING_FAILED = "signing_failed", _("signing failed")
    REFUSED = "refused", _("refused")


class CopyFeeRule(models.Model):
    """Thông tư 226/2016/TT-BTC: a price for the first pages, another after, a cap per copy.

    Editable data: the rule in force on the certification date applies.
    """

    valid_from = models.DateField(_("in force from"), unique=True)
    first_pages = models.PositiveSmallIntegerField(_("pages at the first price"), default=2)
    first_page_fee = models.PositiveIntegerField(_("fee per page, first pages (VND)"), default=2000)
    later_page_fee = models.PositiveIntegerField(_("fee per page after them (VND)"), default=1000)
    cap_per_copy = models.PositiveIntegerField(_("at most per copy (VND)"), default=200_000)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("copy certification fee")
        verbose_name_plural = _("copy certification fees")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}: {self.legal_basis}"


class KeyKind(models.TextChoices):
    SIGNER = "signer", _("signer (Chairman or Vice-chairman)")
    ORGANISATION = "organisation", _("organisation (the People's Committee)")


def validate_seal_image(upload: File) -> None:
    """Nghị định 30/2020, Phụ lục I: the seal's image is a PNG with a transparent background."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind, mode, info = image.format, image.mode, image.info
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("The seal image is not a readable image file.")) from error
    finally:
        upload.seek(0)
    if kind != "PNG":
        raise ValidationError(_("The seal image must be a PNG file."))
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise ValidationError(_("The seal image must have a transparent background."))


class SigningKey(models.Model):
    """A PKCS#12 file on the server; its password is read from an environment variable."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KeyKind.choices)
    user = models.ForeignKey(
        USER,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_keys",
    )
    p12_path = models.CharField(
        _("PKCS#12 file"),
        max_length=500,
        help_text=_("A relative path is read under the var folder, so backups restore anywhere."),
    )
    password_env = models.CharField(
        _("environment variable holding the password"),
        max_length=100,
        help_text=_("The name of the variable, never the password itself."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    seal_image = models.FileField(
        _("seal image (PNG)"),
        upload_to="seals/",
        blank=True,
        validators=[validate_seal_image],
        help_text=_(
            "Organisation keys: the image of the unit's red seal, PNG with a transparent "
            "background, shown at the seal's real size on the documents it issues. When "
            "empty, a drawn likeness is used (for the demo only)."
        ),
    )

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        who = self.user.get_full_name() if self.user else self.unit.name
        return f"{self.get_kind_display()}: {who}"

    @property
    def key_file(self) -> Path:
        return under_var_dir(self.p12_path)


class CertificationSettings(models.Model):
    """Per unit: the statement's wording, trust roots for verification, the time-stamp server."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="certification_settings",
    )
    statement = models.TextField(
        _("certification statement"),
        default="Chứng thực bản sao đúng với bản chính.",
        help_text=_("Printed on the last page above the number, volume, date and signer."),
    )
    trust_roots = models.CharField(
        _("trusted CA certificates (PEM file)"),
        max_length=500,
        blank=True,
        help_text=_("Certificates that copies of this unit must chain to."),
    )
    timestamp_url = models.URLField(_("time-stamp server (RFC 3161)"), blank=True)
    entries_per_volume = models.PositiveIntegerField(_("entries per register volume"), default=500)

    class Meta:
        verbose_name = _("certification settings")
        verbose_name_plural = _("certification settings")

    def __str__(self) -> str:
        return str(self.unit)


class Certification(models.Model):
    """One original presented for certified copies: one register number, one or more copies."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="certification")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.REQUESTED,
    )
    original_title = models.CharField(_("original document"), max_length=300, blank=True)
    original_issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    original_reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    original_date = models.DateField(_("date of the original"), null=True, blank=True)
    original_pages = models.PositiveSmallIntegerField(_("pages of the original"), default=0)
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    fee = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    signer = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    signing_error = models.TextField(_("signing error"), blank=True)
    # Crash recovery (motcua.certification.recovery): when the copy last entered "signing" or
    # was taken by a worker, which run holds it (empty: queued, nobody signing yet), and how
    # many runs started. A run that stops (worker killed) is found stale by these.
    signing_claimed_at = models.DateTimeField(_("signing claimed at"), null=True, blank=True)
    signing_token = models.CharField(max_length=32, blank=True, editable=False)
    signing_attempts = models.PositiveSmallIntegerField(_("signing attempts"), default=0)
    verify_code = models.CharField(_("verification code"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("copy certification")
        verbose_name_plural = _("copy certifications")

    def __str__(self) -> str:
        entry = getattr(self, "register_entry", None)
        return f"{entry or self.dossier} — {self.original_title}"

    @property
    def unit(self) -> AdministrativeUnit:
        """The unit the copy is certified in (the permission table checks roles there)."""
        return self.dossier.unit


class RegisterEntry(models.Model):
    """A line of the SCT/BS register: numbered per unit and year, never deleted."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    book = models.CharField(_("register"), max_length=20, default=COPY_REGISTER)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("certification number"))
    volume = models.PositiveSmallIntegerField(_("volume"))
    certification = models.OneToOneField(
        Certification, on_delete=models.PROTECT, related_name="register_entry"
    )
    entered_at = models.DateTimeField(_("date"))
    requester = models.CharField(_("requested by"), max_length=200)
    document = models.CharField(_("document certified"), max_length=300)
    copies = models.PositiveSmallIntegerField(_("copies"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    fee = models.PositiveBigIntegerField(_("fee (VND)"))
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=100)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["unit", "book", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "book", "year", "number"], name="register_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year} — {self.volume_label}"

    @property
    def volume_label(self) -> str:
        """ "Quyển số 01/2026-SCT/BS" as printed under the statement."""
        return f"{self.volume:02d}/{self.year}-{self.book}"

    @property
    def entry_date(self) -> date:
        from motcua.core.calendar import VN_TZ

        return self.entered_at.astimezone(VN_TZ).date()


class RegisterAnnotation(models.Model):
    """Corrections to a register line are annotations beside it, never edits."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="annotations")
    text = models.TextField(_("annotation"))
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("register annotation")
        verbose_name_plural = _("register annotations")
        ordering = ["entry", "written_at"]

    def __str__(self) -> str:
        return self.text[:80]


class CertifiedCopy(models.Model):
    """One signed copy PDF; the QR code on it leads to the public verification page."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="signed_copies"
    )
    index = models.PositiveSmallIntegerField(_("copy"))
    pdf = models.FileField(_("signed PDF"), upload_to="certification/%Y/")
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField(_("pages"))
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("certified copy")
        verbose_name_plural = _("certified copies")
        ordering = ["certification", "index"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "index"], name="copy_index_unique")
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.index}/{self.certification.copies})"
