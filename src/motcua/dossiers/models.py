"""Dossiers (hồ sơ) of the one-stop desk and what happens to them (DOMAIN.md §3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import validate_personal_id
from motcua.core.models import AdministrativeUnit, Position, Role
from motcua.procedures.models import Procedure, RequiredPaper

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    DESK = "desk", _("at the desk")
    POST = "post", _("by post")
    ONLINE = "online", _("online")
    ONLINE_ASSISTED = "online_assisted", _("online, assisted at the counter")


ELECTRONIC_CHANNELS = frozenset({Channel.ONLINE, Channel.ONLINE_ASSISTED})


class Status(models.TextChoices):
    DRAFT = "draft", _("being guided")
    PENDING = "pending", _("submitted, awaiting the desk")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("incomplete, supplement requested")
    REFUSED = "refused", _("refused at receipt")
    RECEIVED = "received", _("received, awaiting transfer")
    IN_PROGRESS = "in_progress", _("being handled")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("waiting for a supplement")
    RESULT_READY = "result_ready", _("result ready to return")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Being handled (the officer's own list); with what waits at the desk: the current work.
OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT]
WORK_STATUSES = [Status.DRAFT, Status.PENDING, Status.SUPPLEMENT_REQUESTED, *OPEN_STATUSES,
                 Status.RESULT_READY]  # fmt: skip


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    ORGANISATION = "organisation", _("organisation")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused after appraisal")


class ReturnMethod(models.TextChoices):
    DESK = "desk", _("at the desk")
    POST = "post", _("by post")
    ONLINE = "online", _("online")


class DeliveryMethod(models.TextChoices):
    DESK = "desk", _("collect at the desk")
    POST = "post", _("by post")


class Timeliness(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class Dossier(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    code = models.CharField(_("dossier code"), max_length=60, unique=True, null=True, blank=True)
    ledger_year = models.PositiveSmallIntegerField(_("ledger year"), null=True, blank=True)
    ledger_line = models.PositiveIntegerField(_("ledger line"), null=True, blank=True)
    # Applicant (người nộp hồ sơ)
    applicant_kind = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_personal_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        blank=True,
        validators=[validate_personal_id],
    )
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_user = models.ForeignKey(
        USER,
        verbose_name=_("citizen account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    fee_due = models.PositiveBigIntegerField(_("fee due (VND)"), default=0)
    fee_paid = models.PositiveBigIntegerField(_("fee paid (VND)"), default=0)
    # Time
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    clock_start = models.DateTimeField(_("processing time counted from"), null=True, blank=True)
    due_at = models.DateTimeField(_("result due"), null=True, blank=True)
    # Handling
    current_step = models.ForeignKey(
        "DossierStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    result_file = models.FileField(_("result file"), upload_to="dossiers/results/%Y/", blank=True)
    result_paper = models.BooleanField(_("paper result"), default=False)
    result_note = models.TextField(_("result"), blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_method = models.CharField(
        _("returned"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    timeliness = models.CharField(
        _("timeliness"), max_length=10, choices=Timeliness.choices, blank=True
    )
    delivery_method = models.CharField(
        _("result delivery"), max_length=10, choices=DeliveryMethod.choices,
        default=DeliveryMethod.DESK,
    )  # fmt: skip
    delivery_address = models.CharField(_("postal address for the result"), max_length=300,
                                        blank=True)  # fmt: skip
    late_return_override = models.TextField(_("leader's reason to return late"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "ledger_year", "ledger_line"], name="dossier_ledger_line_unique"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"]),
            # The reports count a unit's dossiers received, and returned, in a period.
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received"),
            models.Index(fields=["unit", "returned_at"], name="dossier_unit_returned"),
            models.Index(fields=["unit", "withdrawn_at"], name="dossier_unit_withdrawn"),
            # The desk's work lists and their counts read only the current work, in due order,
            # however many dossiers the unit has had (partial indexes; the counts index-only).
            models.Index(
                fields=["unit", "due_at", "created_at"],
                include=["status", "assignee", "id"],
                condition=Q(status__in=WORK_STATUSES),
                name="dossier_work",
            ),
            models.Index(
                fields=["assignee", "due_at", "created_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dossier_assignee_work",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_electronic(self) -> bool:
        return self.channel in ELECTRONIC_CHANNELS


class DossierPaper(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    required_paper = models.ForeignKey(
        RequiredPaper, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("paper"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    scan = models.FileField(_("scan"), upload_to="dossiers/papers/%Y/%m/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    supplement = models.ForeignKey(
        "SupplementRequest", verbose_name=_("added for supplement request"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="papers",
    )  # fmt: skip

    class Meta:
        verbose_name = _("paper received")
        verbose_name_plural = _("papers received")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One step of the dossier's workflow, planned from the procedure's template (Mẫu 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    budget_days = models.DecimalField(
        _("time budget (working days)"), max_digits=5, decimal_places=1
    )
    due_at = models.DateTimeField(_("step due"))
    assignee = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    timeliness = models.CharField(
        _("timeliness"), max_length=10, choices=Timeliness.choices, blank=True
    )

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("received")
    TRANSFERRED = "transferred", _("transferred")
    ASSIGNED = "assigned", _("assigned")
    APPRAISED = "appraised", _("appraised")
    VERIFIED = "verified", _("verified")
    CONSULTED = "consulted", _("consulted another unit")
    HANDED_OVER = "handed_over", _("handed over")
    APPROVED = "approved", _("approved")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("supplement received")
    REFUSED = "refused", _("refused")
    RESULT_ATTACHED = "result_attached", _("result attached")
    APOLOGY_ISSUED = "apology_issued", _("apology issued")
    LATE_RETURN_ALLOWED = "late_return_allowed", _("late return allowed by a leader")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DossierEvent(models.Model):
    """The dossier's timeline: every hand-over and action, the rows of Mẫu 05."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    step = models.ForeignKey(
        DossierStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    to_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    to_unit = models.CharField(_("to unit"), max_length=200, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=10, choices=Timeliness.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%H:%M %d/%m/%Y}"


class RequestStage(models.TextChoices):
    AT_RECEIPT = "at_receipt", _("at receipt")
    IN_APPRAISAL = "in_appraisal", _("during appraisal")


class SupplementRequest(models.Model):
    """Mẫu 02: everything missing or to correct, asked once."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    stage = models.CharField(_("stage"), max_length=20, choices=RequestStage.choices)
    items = models.JSONField(_("what to add or correct"))
    reason = models.TextField(_("reason"))
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    fulfilled_at = models.DateTimeField(_("supplied at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered online at"), null=True, blank=True)
    answer_note = models.TextField(_("applicant's note"), blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_stage_display()}"


class Refusal(models.Model):
    """Mẫu 03 at receipt, or a reasoned refusal after appraisal."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    stage = models.CharField(_("stage"), max_length=20, choices=RequestStage.choices)
    reasons = models.TextField(_("reasons"))
    refused_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    refused_at = models.DateTimeField(_("refused at"))

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_stage_display()}"


class Apology(models.Model):
    """Mẫu 04: apology and new due date, signed by the head of the handling agency."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    reason = models.TextField(_("reason for the delay"))
    original_due_at = models.DateTimeField(_("original due date"))
    new_due_at = models.DateTimeField(_("new due date"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    timely = models.BooleanField(
        _("issued in time"),
        help_text=_("At the latest one working day before the original due date."),
    )

    class Meta:
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")
        ordering = ["dossier", "issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.new_due_at:%d/%m/%Y}"


class FormSet(models.TextChoices):
    TT01_2018 = "tt01_2018", _("Circular 01/2018/TT-VPCP")
    TT03_2025 = "tt03_2025", _("Circular 03/2025/TT-VPCP")


class FormKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt and appointment (Mẫu 01)")
    SUPPLEMENT = "supplement", _("supplement request (Mẫu 02)")
    REFUSAL = "refusal", _("refusal (Mẫu 03)")
    APOLOGY = "apology", _("apology and new due date (Mẫu 04)")
    CONTROL_SHEET = "control_sheet", _("control sheet (Mẫu 05)")
    LEDGER = "ledger", _("dossier ledger (Mẫu 06)")
    STOP_NOTICE = "stop_notice", _("stop notice")


class FormSettings(models.Model):
    """Which legal form set a unit prints."""

    unit = models.OneToOneField(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.CASCADE,
        related_name="form_settings",
    )  # fmt: skip
    form_set = models.CharField(
        _("form set"), max_length=20, choices=FormSet.choices, default=FormSet.TT01_2018
    )

    class Meta:
        verbose_name = _("form settings")
        verbose_name_plural = _("form settings")

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_form_set_display()}"


class FormText(models.Model):
    """A unit's own wording for one named text of one form (e.g. the desk's name)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.CASCADE,
        related_name="form_texts",
    )  # fmt: skip
    form_set = models.CharField(_("form set"), max_length=20, choices=FormSet.choices)
    form = models.CharField(_("form"), max_length=20, choices=FormKind.choices)
    key = models.CharField(_("text name"), max_length=50)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("form text")
        verbose_name_plural = _("form texts")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "form_set", "form", "key"], name="form_text_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} · {self.key}"
