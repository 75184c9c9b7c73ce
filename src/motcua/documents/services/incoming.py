"""Incoming documents: register (numbered per unit and year), attach and check files, direct,
handle, acknowledge or return to the sender."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ
from motcua.core.errors import TransitionRefused
from motcua.core.importing import fold
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import calendar_for, holds
from motcua.core.services import audit, outbox
from motcua.core.services.numbering import next_number
from motcua.core.uploads import name_for_bytes

from ..models import (
    Direction,
    DocumentType,
    HandlingEntry,
    IncomingDocument,
    IncomingFile,
    IncomingStatus,
    OutgoingDocument,
    ReceivedVia,
    SignatureCheckResult,
    Urgency,
)
from .common import index_text, reindex

TRACKED = ["status", "number", "year", "due_at", "done_at", "acknowledged_at", "returned_at"]


class PossibleDuplicate(ValidationError):
    """Same number and symbol from the same issuer already registered: confirm to go on."""


@dataclass
class IncomingData:
    issuer: str
    reference: str
    document_date: date
    type: DocumentType
    abstract: str
    received_via: str = ReceivedVia.POST
    urgency: str = "normal"
    confidentiality: str = "normal"
    pages: int = 1


def book(unit: AdministrativeUnit, secret: bool) -> str:
    return "incoming-secret" if secret else "incoming"


def presentation_deadline(unit: AdministrativeUnit, at: datetime, urgency: str) -> datetime:
    """Nghị định 30/2020: present the same or the next working day; urgent ones at once."""
    calendar = calendar_for(unit)
    if urgency != Urgency.NORMAL:
        return calendar.next_working_moment(at)
    return calendar.add_working_days(calendar.end_of_working_day(at), 1)


def duplicates(unit: AdministrativeUnit, issuer: str, reference: str) -> list[IncomingDocument]:
    same = IncomingDocument.objects.filter(unit=unit, reference__iexact=reference.strip())
    return [d for d in same if fold(d.issuer) == fold(issuer)]


def register(
    unit: AdministrativeUnit,
    data: IncomingData,
    *,
    actor: User | None,
    confirm_duplicate: bool = False,
    at: datetime | None = None,
    source: OutgoingDocument | None = None,
    message_id: str = "",
    files: list[tuple[str, bytes]] | None = None,
) -> IncomingDocument:
    """Number the document in the unit's incoming register (secret documents separately),
    with its files (scans or received electronic files, each checked for signatures)."""
    if actor is not None and not holds(actor, unit, Role.CLERK, Role.LEADER):
        raise TransitionRefused(
            _("Only the office clerk registers incoming documents."), by_role=True
        )
    at = at or timezone.now()
    found = duplicates(unit, data.issuer, data.reference)
    if found and not confirm_duplicate:
        raise PossibleDuplicate(
            _("%(ref)s from %(issuer)s is already registered as incoming no. %(n)s.")
            % {"ref": data.reference, "issuer": data.issuer, "n": found[0].number}
        )
    document = IncomingDocument(
        unit=unit,
        received_at=at,
        registered_by=actor,
        source=source,
        message_id=message_id,
        year=at.astimezone(VN_TZ).year,
        number=0,
        **data.__dict__,
    )
    document.present_by = presentation_deadline(unit, at, data.urgency)
    document.full_clean(exclude=["number", "search_text"])
    with transaction.atomic():
        document.secret_series = document.is_confidential
        document.number = next_number(unit, book(unit, document.secret_series), str(document.year))
        document.search_text = index_text(document)
        document.save()
        if actor is not None:
            document.readers.add(actor)
        for name, content in files or []:
            attach_file(document, name, content, reindexed=False)
        if files:
            reindex(document)
        audit.record(
            actor=actor,
            action="incoming.register",
            unit=unit,
            obj=document,
            after={
                **audit.snapshot(document, [*TRACKED, "reference", "issuer"]),
                "files": [name for name, _data in files or []],
            },
        )
    return document


def direct(
    document: IncomingDocument,
    *,
    leader: User,
    lead: User,
    supporting: list[User] | None = None,
    deadline: datetime | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Direction:
    """The leader names who leads, who supports and by when; they are told by e-mail."""
    unit = document.unit
    if not holds(leader, unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader directs incoming documents."), by_role=True)
    supporting = [u for u in supporting or [] if u.pk != lead.pk]
    for handler in [lead, *supporting]:
        if not holds(handler, unit, Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.DESK_OFFICER):
            raise ValidationError(
                _("%(name)s does not work in %(unit)s.")
                % {"name": handler.get_full_name(), "unit": unit.name}
            )
    at = at or timezone.now()
    if deadline is not None and deadline <= at:
        raise ValidationError({"deadline": [_("The deadline must be in the future.")]})
    with transaction.atomic():
        locked = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == IncomingStatus.DONE:
            raise TransitionRefused(_("This document has already been handled."))
        before = audit.snapshot(locked, TRACKED)
        direction = Direction.objects.create(
            document=locked, leader=leader, lead=lead, deadline=deadline, note=note, directed_at=at
        )
        direction.supporting.set(supporting)
        locked.readers.add(leader, lead, *supporting)
        locked.status, locked.due_at = IncomingStatus.DIRECTED, deadline
        locked.save(update_fields=["status", "due_at"])
        audit.record(
            actor=leader,
            action="incoming.direct",
            unit=unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=note,
        )
        for handler in [lead, *supporting]:
            if handler.email:
                outbox.queue(
                    "document_assigned",
                    {
                        "document": locked,
                        "direction": direction,
                        "handler": handler,
                        "lead": handler == lead,
                    },
                    email=handler.email,
                    unit=unit,
                    user=handler,
                    about=f"incoming:{locked.pk}",
                )
    document.refresh_from_db()
    return direction


def record_progress(
    document: IncomingDocument,
    *,
    actor: User,
    note: str,
    reply: OutgoingDocument | None = None,
    done: bool = False,
    at: datetime | None = None,
) -> HandlingEntry:
    if not note.strip():
        raise ValidationError({"note": [_("Write what was done.")]})
    direction = document.directions.order_by("-directed_at").first()
    handlers = (
        {direction.lead_id, *direction.supporting.values_list("pk", flat=True)}
        if (direction)
        else set()
    )
    if actor.pk not in handlers and not holds(actor, document.unit, Role.LEADER):
        raise TransitionRefused(
            _("Only the handlers named by the leader record progress."), by_role=True
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        entry = HandlingEntry.objects.create(
            document=locked, actor=actor, at=at, note=note, reply=reply
        )
        if done:
            locked.status, locked.done_at = IncomingStatus.DONE, at
            locked.save(update_fields=["status", "done_at"])
        audit.record(
            actor=actor,
            action="incoming.progress",
            unit=locked.unit,
            obj=locked,
            after={"note": note, "done": done, "reply": reply.reference if reply else ""},
        )
    document.refresh_from_db()
    return entry


def acknowledge(document: IncomingDocument, *, actor: User) -> None:
    """Receipt of an electronic document acknowledged to the sender (the same day)."""
    if not holds(actor, document.unit, Role.CLERK, Role.LEADER):
        raise TransitionRefused(_("Only the office clerk acknowledges receipt."), by_role=True)
    with transaction.atomic():
        updated = IncomingDocument.objects.filter(pk=document.pk, acknowledged_at__isnull=True)
        if updated.update(acknowledged_at=timezone.now()):
            audit.record(
                actor=actor, action="incoming.acknowledge", unit=document.unit, obj=document
            )
    document.refresh_from_db()


def attach_file(
    document: IncomingDocument, name: str, data: bytes, *, reindexed: bool = True
) -> IncomingFile:
    """Keep a received file and check its authenticity and integrity at once (Nghị định
    30/2020, Điều 21): every digital signature intact, valid and issued under a CA the unit
    trusts, nothing added after the last one. The result is shown beside the file."""
    row = IncomingFile(
        document=document, name=name[:255] or "tep", sha256=hashlib.sha256(data).hexdigest()
    )
    row.signature_check, row.signature_report = check_signatures(document.unit, data)
    row.checked_at = timezone.now()
    row.file.save(name_for_bytes(data), ContentFile(data), save=False)
    row.save()
    if reindexed:
        reindex(document)  # the text of the file joins the search index
    return row


def check_signatures(unit: AdministrativeUnit, data: bytes) -> tuple[str, str]:
    from motcua.certification.selectors import trust_roots
    from motcua.certification.verification import UNSIGNED, verify_pdf

    if not data.startswith(b"%PDF"):
        return SignatureCheckResult.NOT_PDF, ""
    report = verify_pdf(data, trust_roots(unit))
    lines = [check.summary_vi for check in report.signatures]
    lines += [p for p in report.problems if not any(p in line for line in lines)]
    if report.ok:
        return SignatureCheckResult.VALID, "\n".join(lines)
    if report.problems == [UNSIGNED]:
        return SignatureCheckResult.UNSIGNED, ""
    return SignatureCheckResult.INVALID, "\n".join(lines)


def return_to_sender(document: IncomingDocument, *, actor: User, reason: str) -> None:
    """A misaddressed electronic document goes back to the sender with the reason; it keeps
    its incoming number (a register has no gaps) but leaves every queue."""
    if not holds(actor, document.unit, Role.CLERK, Role.LEADER):
        raise TransitionRefused(
            _("Only the office clerk returns a misaddressed document."), by_role=True
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the document is returned.")]})
    if document.received_via not in (ReceivedVia.ELECTRONIC, ReceivedVia.EMAIL):
        raise ValidationError(
            _("Only documents received electronically are returned through the system.")
        )
    with transaction.atomic():
        locked = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != IncomingStatus.REGISTERED:
            raise TransitionRefused(
                _("A document already directed by a leader cannot be returned as misaddressed.")
            )
        before = audit.snapshot(locked, TRACKED)
        locked.status, locked.returned_at = IncomingStatus.RETURNED, timezone.now()
        locked.return_reason = reason.strip()
        locked.save(update_fields=["status", "returned_at", "return_reason"])
        audit.record(
            actor=actor,
            action="incoming.return",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=reason,
        )
        _tell_sender(locked, actor)
    document.refresh_from_db()


def _tell_sender(document: IncomingDocument, actor: User) -> None:
    """The sending unit's clerk sees it on the outgoing document; an e-mail sender is told."""
    if document.source is not None:
        audit.record(
            actor=None,
            action="outgoing.returned",
            unit=document.source.unit,
            obj=document.source,
            after={"by": document.unit.name, "reason": document.return_reason},
        )
        return
    address = parseaddr(document.issuer)[1]
    if "@" in address:  # taken from the official mailbox: answered there
        outbox.queue(
            "document_returned",
            {"document": document, "unit": document.unit},
            email=address,
            unit=document.unit,
            about=f"incoming:{document.pk}",
            sent_by=actor,
        )
