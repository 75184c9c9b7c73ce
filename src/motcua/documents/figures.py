"""Figures of the documents module, registered for the reports (motcua.core.figures).
Each function states its formula; shares are (numerator, denominator) so reports show both
beside the ratio."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from motcua.core.figures import Rows, Scope, Share, compute, per_unit, share
from motcua.core.models import (
    AdministrativeUnit,
    AuditEvent,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Role,
    RoleAssignment,
    User,
)
from motcua.core.summaries import watch

from .models import Direction, IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus

ELECTRONIC_INTAKE = ["email", "electronic"]
DOCUMENTS = "documents"  # the reports' section


def _registered(scope: Scope) -> Rows:
    """Incoming documents registered in the period; misaddressed documents returned to their
    sender were never the unit's to handle."""
    window = Q(received_at__gte=scope.start, received_at__lt=scope.end)
    return Rows(IncomingDocument, window, window).exclude(status=IncomingStatus.RETURNED)


@share("docs_in_electronic", gettext_lazy("Incoming documents received electronically"),
       DOCUMENTS, of=_registered, drills=False)  # fmt: skip
def incoming_exchanged_electronically(scope: Scope) -> Rows:
    """Incoming documents received by e-mail or from another unit electronically
    ÷ all incoming documents registered in [start, end)."""
    return _registered(scope).where(received_via__in=ELECTRONIC_INTAKE)


@per_unit("docs_out_electronic", gettext_lazy("Outgoing documents sent electronically"), DOCUMENTS)
def outgoing_exchanged_electronically(
    unit: AdministrativeUnit, start: datetime, end: datetime
) -> Share:
    """Issued documents sent to at least one recipient electronically (a unit of this
    deployment, or an e-mail address) ÷ all documents issued in [start, end)."""
    issued = _issued(unit, start, end)
    by_email = OutboxMessage.objects.filter(
        about__in=[f"outgoing:{pk}" for pk in issued.values_list("pk", flat=True)]
    ).values_list("about", flat=True)
    electronic = issued.filter(
        Q(recipient_units__isnull=False) | Q(pk__in=[int(a.split(":")[1]) for a in by_email])
    ).distinct()
    return Share(electronic.count(), issued.count())


@share("docs_processed", gettext_lazy("Incoming documents directed and handled in the system"),
       DOCUMENTS, of=_registered, drills=False)  # fmt: skip
def incoming_processed_in_system(scope: Scope) -> Rows:
    """Incoming documents of [start, end) directed and finished in the system (a direction
    and status "handled") ÷ all incoming documents of [start, end)."""
    # An uncorrelated sub-query limited to the scope: hashed once, not run per row.
    directed = Direction.objects.filter(
        document__unit_id__in=scope.units,
        document__received_at__gte=scope.start,
        document__received_at__lt=scope.end,
    ).values("document_id")
    return _registered(scope).where(pk__in=directed, status=IncomingStatus.DONE)


def _issued_rows(scope: Scope) -> Rows:
    window = Q(issued_at__gte=scope.start, issued_at__lt=scope.end)
    return Rows(OutgoingDocument, window, window & Q(status=OutgoingStatus.ISSUED))


@share("docs_signed", gettext_lazy("Outgoing documents signed digitally"), DOCUMENTS,
       of=_issued_rows, drills=False)  # fmt: skip
def outgoing_signed_digitally(scope: Scope) -> Rows:
    """Documents issued in [start, end) with a digitally signed file ÷ all issued."""
    return _issued_rows(scope).exclude(signed_file="")


@per_unit("staff_active", gettext_lazy("Staff active in the system"), DOCUMENTS)
def staff_active(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Staff of the unit who changed anything in the system in [start, end) (an audit event
    of theirs in the unit) ÷ the unit's staff (an active role other than administrator)."""
    staff = _staff(unit)
    active = (
        AuditEvent.objects.filter(chain=str(unit.pk), at__gte=start, at__lt=end, actor_id__in=staff)
        .values("actor_id")
        .distinct()
    )
    return Share(active.count(), len(staff))


@per_unit("staff_email", gettext_lazy("Staff using the official mailbox"), DOCUMENTS)
def staff_using_official_email(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Staff who sent at least one e-mail from the official mailbox in [start, end) (delivered)
    ÷ the unit's staff (an active role other than administrator)."""
    staff = _staff(unit)
    senders = _delivered_mail(unit, start, end, staff).values("sent_by_id").distinct()
    return Share(senders.count(), len(staff))


def _delivered_mail(unit: AdministrativeUnit, start: datetime, end: datetime, staff: list[int]):  # type: ignore[no-untyped-def]
    """E-mails of the unit's official mailbox delivered in [start, end), sent by its staff."""
    return OutboxMessage.objects.filter(
        unit=unit,
        channel=OutboxChannel.EMAIL,
        status=OutboxStatus.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
        sent_by_id__in=staff,
    )


def _received(unit: AdministrativeUnit, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    """Misaddressed documents returned to their sender were never the unit's to handle."""
    return IncomingDocument.objects.filter(
        unit=unit, received_at__gte=start, received_at__lt=end
    ).exclude(status=IncomingStatus.RETURNED)


def _issued(unit: AdministrativeUnit, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return OutgoingDocument.objects.filter(
        unit=unit, status=OutgoingStatus.ISSUED, issued_at__gte=start, issued_at__lt=end
    )


def _staff(unit: AdministrativeUnit) -> list[int]:
    """The unit's cán bộ, công chức: an active role there other than system administrator."""
    return list(
        RoleAssignment.objects.filter(unit=unit, is_active=True)
        .exclude(role=Role.ADMINISTRATOR)
        .values_list("user_id", flat=True)
        .distinct()
    )


def official_email_by_officer(
    unit: AdministrativeUnit, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """Each officer of the unit: e-mails delivered from the official mailbox that the officer
    sent in [start, end) (issuing a document by e-mail counts one per recipient); every
    officer is listed, those who sent none with 0, most first."""
    staff = _staff(unit)
    sent = dict(
        _delivered_mail(unit, start, end, staff)
        .values("sent_by_id")
        .annotate(count=Count("id"))
        .values_list("sent_by_id", "count")
    )
    people = User.objects.filter(pk__in=staff).order_by("full_name")
    rows = [
        (person.get_full_name() or person.username, sent.get(person.pk, 0)) for person in people
    ]
    return sorted(rows, key=lambda row: -row[1])


@dataclass(frozen=True)
class Figure:
    label: str
    share: Share


MONTH_FIGURES = ["docs_in_electronic", "docs_out_electronic", "docs_processed", "docs_signed",
                 "staff_active", "staff_email"]  # fmt: skip


def month_figures(unit: AdministrativeUnit, start: datetime, end: datetime) -> list[Figure]:
    """The six shares of the month, in the order the reform self-assessment lists them."""
    table = compute([unit.pk], start, end, MONTH_FIGURES)
    return [Figure(str(f.label), table.value(f.key, unit.pk)) for f in table.figures]  # type: ignore[arg-type]


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
watch(IncomingDocument, since=("received_at",))
watch(Direction, through="document", since=("directed_at",), parent_since=("received_at",))
watch(OutgoingDocument, since=("issued_at", "created_at"))
watch(OutgoingDocument.recipient_units.through, through="outgoingdocument",
      parent_since=("issued_at", "created_at"))  # fmt: skip
# The staff's e-mails from the official mailbox, and any message about an outgoing document
# (issued in any period); the citizens' notices and the portal's messages, most of the
# outbox, are not counted.
watch(OutboxMessage, since=("created_at", "sent_at"), where='{row}."sent_by_id" IS NOT NULL')
watch(OutboxMessage, where="{row}.\"about\" LIKE 'outgoing:%'")
watch(AuditEvent, unit=None, since=("at",))  # a staff member's activity
watch(RoleAssignment)  # who the unit's staff are
