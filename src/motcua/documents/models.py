"""Official documents (Nghị định 30/2020/NĐ-CP, DOMAIN.md §5): incoming and outgoing documents,
the leader's direction and the handling log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

USER = settings.AUTH_USER_MODEL


class DocumentType(models.Model):
    """The 29 types of Nghị định 30/2020 Phụ lục III and the công văn (no abbreviation)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_letter(self) -> bool:
        """A công văn: "Số: 12/UBND-VP", no type abbreviation."""
        return not self.abbreviation


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent (KHẨN)")
    VERY_URGENT = "very_urgent", _("very urgent (THƯỢNG KHẨN)")
    IMMEDIATE = "immediate", _("immediate (HỎA TỐC)")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("not secret")
    SECRET = "secret", _("secret (MẬT)")
    TOP_SECRET = "top_secret", _("top secret (TỐI MẬT)")
    ABSOLUTE = "absolute", _("absolute secret (TUYỆT MẬT)")


class ReceivedVia(models.TextChoices):
    POST = "post", _("by post")
    HAND = "hand", _("by hand")
    EMAIL = "email", _("by e-mail")
    ELECTRONIC = "electronic", _("electronically from another unit")


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("registered, to present to a leader")
    DIRECTED = "directed", _("directed, being handled")
    DONE = "done", _("handled")
    RETURNED = "returned", _("returned to the sender (misaddressed)")


class IncomingDocument(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("incoming number"))
    secret_series = models.BooleanField(_("secret series"), default=False)
    received_at = models.DateTimeField(_("received at"))
    received_via = models.CharField(_("received"), max_length=12, choices=ReceivedVia.choices)
    issuer = models.CharField(_("issuing body"), max_length=300)
    reference = models.CharField(_("number and symbol"), max_length=100)
    document_date = models.DateField(_("document date"))
    type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    abstract = models.TextField(_("abstract"))
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
    )
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
    )
    registered_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the document arrived electronically from another unit."),
    )
    readers = models.ManyToManyField(
        USER,
        verbose_name=_("named readers (confidential documents)"),
        blank=True,
        related_name="readable_incoming",
    )
    source = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("sent by another unit of MotCua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    present_by = models.DateTimeField(
        _("to present to a leader by"),
        null=True,
        blank=True,
        help_text=_("Urgent documents at once; others by the end of the next working day."),
    )
    due_at = models.DateTimeField(_("handling due"), null=True, blank=True)
    done_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    message_id = models.CharField(
        _("e-mail Message-ID"),
        max_length=300,
        blank=True,
        db_index=True,
        help_text=_("For documents taken from the official mailbox: never registered twice."),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "secret_series", "number"], name="incoming_number_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.year} — {self.reference}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class SignatureCheckResult(models.TextChoices):
    """Authenticity and integrity of a received electronic file (Nghị định 30/2020, Điều 21)."""

    VALID = "valid", _("signed, signatures valid")
    INVALID = "invalid", _("signed, but a signature is not valid")
    UNSIGNED = "unsigned", _("not digitally signed")
    NOT_PDF = "not_pdf", _("not a PDF file (cannot carry a signature)")


class IncomingFile(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="documents/incoming/%Y/")
    sha256 = models.CharField(max_length=64)
    signature_check = models.CharField(
        _("signature check"), max_length=10, choices=SignatureCheckResult.choices, blank=True
    )
    signature_report = models.TextField(_("signature check details"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file of an incoming document")
        verbose_name_plural = _("files of incoming documents")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.name


class Mailbox(models.Model):
    """The unit's official mailbox, polled for incoming documents (password from the env)."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="official_mailbox",
    )
    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("TLS"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    password_env = models.CharField(_("environment variable holding the password"), max_length=100)
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("official mailbox")
        verbose_name_plural = _("official mailboxes")

    def __str__(self) -> str:
        return f"{self.username}@{self.host}"


class Direction(models.Model):
    """The leader's direction (ý kiến chỉ đạo): lead handler, supporting handlers, deadline."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="directions"
    )
    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        USER, verbose_name=_("lead handler"), on_delete=models.PROTECT, related_name="+"
    )
    supporting = models.ManyToManyField(
        USER, verbose_name=_("supporting handlers"), blank=True, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    note = models.TextField(_("direction"), blank=True)
    directed_at = models.DateTimeField(_("directed at"))

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["document", "directed_at"]

    def __str__(self) -> str:
        return f"{self.document} → {self.lead}"


class HandlingEntry(models.Model):
    """The handling log (sổ theo dõi giải quyết văn bản đến)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("progress"))
    reply = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("handling entry")
        verbose_name_plural = _("handling log")
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return self.note[:80]


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved, to sign")
    ISSUED = "issued", _("issued")


class OutgoingDocument(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    abstract = models.TextField(_("abstract"))
    drafting_office = models.CharField(
        _("drafting office (symbol)"),
        max_length=20,
        default="VP",
        help_text=_("Used in a công văn's symbol: 12/UBND-VP."),
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer = models.ForeignKey(
        USER,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    secret_series = models.BooleanField(_("secret series"), default=False)
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    recipient_units = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("recipients in MotCua"), blank=True, related_name="+"
    )
    external_recipients = models.TextField(_("other recipients"), blank=True)
    reply_to = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    file = models.FileField(_("document (PDF)"), upload_to="documents/outgoing/%Y/", blank=True)
    signed_file = models.FileField(
        _("signed document"), upload_to="documents/outgoing/%Y/", blank=True
    )
    public = models.BooleanField(
        _("published on the website"),
        default=False,
        help_text=_("Shown in the legal documents of the unit's website once issued."),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "secret_series", "reference"],
                name="outgoing_reference_unique",
                condition=models.Q(number__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.type} ({self.get_status_display()})"

    @property
    def is_secret(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class OutgoingAttachment(models.Model):
    """A document issued with the main one (văn bản kèm theo): the organisation signs it top
    right with the number, symbol and time when the main document is issued."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("attachment (PDF)"), upload_to="documents/outgoing/%Y/")
    signed_file = models.FileField(
        _("signed attachment"), upload_to="documents/outgoing/%Y/", blank=True
    )

    class Meta:
        verbose_name = _("attachment of an outgoing document")
        verbose_name_plural = _("attachments of outgoing documents")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.name


from .workfiles.models import FiledItem, FilePlan, WorkFile  # noqa: E402, F401  (work files)
