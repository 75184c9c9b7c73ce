"""Work files (hồ sơ công việc, Nghị định 30/2020/NĐ-CP Chương IV): the unit's yearly file plan
(danh mục hồ sơ), the files opened under it and the documents and dossiers filed in them.

Imported at the end of documents/models.py so that they belong to the documents app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

USER = settings.AUTH_USER_MODEL
ITEM_FIELDS = ("incoming", "outgoing", "dossier")


class FilePlan(models.Model):
    """Danh mục hồ sơ: one per unit and year."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "documents"
        verbose_name = _("file plan")
        verbose_name_plural = _("file plans")
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="file_plan_unique")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


class WorkFileStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class WorkFile(models.Model):
    plan = models.ForeignKey(
        FilePlan, verbose_name=_("file plan"), on_delete=models.PROTECT, related_name="files"
    )
    code = models.CharField(_("file code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    keeper = models.ForeignKey(
        USER, verbose_name=_("keeper"), on_delete=models.PROTECT, related_name="+"
    )
    retention = models.CharField(_("retention period"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkFileStatus.choices, default=WorkFileStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        app_label = "documents"
        verbose_name = _("work file")
        verbose_name_plural = _("work files")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="work_file_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == WorkFileStatus.OPEN


def _exactly_one(fields: tuple[str, ...]) -> Q:
    combos = [Q(**{f"{name}__isnull": name != chosen for name in fields}) for chosen in fields]
    condition = combos[0]
    for combo in combos[1:]:
        condition |= combo
    return condition


class FiledItem(models.Model):
    """One incoming or outgoing document or one dossier in a work file.

    Each item belongs to a single unit and is filed once (Điều 29: one document, one file), so
    the item itself is unique, which also makes it unique within its work file.
    """

    work_file = models.ForeignKey(
        WorkFile, verbose_name=_("work file"), on_delete=models.PROTECT, related_name="items"
    )
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("outgoing document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        app_label = "documents"
        verbose_name = _("filed item")
        verbose_name_plural = _("filed items")
        ordering = ["work_file", "filed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(ITEM_FIELDS), name="filed_item_one_kind"),
            *[
                models.UniqueConstraint(fields=[name], name=f"filed_{name}_once")
                for name in ITEM_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.work_file.code}: {self.item}"

    @property
    def item(self) -> models.Model:
        return self.incoming or self.outgoing or self.dossier  # type: ignore[return-value]
