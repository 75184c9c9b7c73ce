"""Monthly figures of the documents module, handed to the reports issue. Each function states
its formula; shares are (numerator, denominator) so reports show both beside the ratio."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from motcua.core.models import (
    AdministrativeUnit,
    AuditEvent,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    RoleAssignment,
)

from .models import IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus

ELECTRONIC_INTAKE = ["email", "electronic"]


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def incoming_exchanged_electronically(
    unit: AdministrativeUnit, start: datetime, end: datetime
) -> Share:
    """Incoming documents received by e-mail or from another unit electronically
    ÷ all incoming documents registered in [start, end)."""
    month = _received(unit, start, end)
    return Share(month.filter(received_via__in=ELECTRONIC_INTAKE).count(), month.count())


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


def incoming_processed_in_system(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Incoming documents of [start, end) directed and finished in the system (a direction
    and status "handled") ÷ all incoming documents of [start, end)."""
    month = _received(unit, start, end)
    done = month.filter(status=IncomingStatus.DONE, directions__isnull=False).distinct()
    return Share(done.count(), month.count())


def outgoing_signed_digitally(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Documents issued in [start, end) with a digitally signed file ÷ all issued."""
    issued = _issued(unit, start, end)
    return Share(issued.exclude(signed_file="").count(), issued.count())


def staff_active(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Staff of the unit who changed anything in the system in [start, end) (an audit event
    of theirs in the unit) ÷ staff holding an active role in the unit."""
    staff = _staff(unit)
    active = (
        AuditEvent.objects.filter(chain=str(unit.pk), at__gte=start, at__lt=end, actor_id__in=staff)
        .values("actor_id")
        .distinct()
    )
    return Share(active.count(), len(staff))


def staff_using_official_email(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Staff who sent at least one e-mail from the official mailbox in [start, end) (delivered)
    ÷ staff holding an active role in the unit."""
    staff = _staff(unit)
    senders = (
        OutboxMessage.objects.filter(
            unit=unit,
            channel=OutboxChannel.EMAIL,
            status=OutboxStatus.SENT,
            sent_at__gte=start,
            sent_at__lt=end,
            sent_by_id__in=staff,
        )
        .values("sent_by_id")
        .distinct()
    )
    return Share(senders.count(), len(staff))


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
    return list(
        RoleAssignment.objects.filter(unit=unit, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
