"""Outgoing documents: draft → review → leader approves → clerk numbers and issues; copies
to other units of the same deployment arrive there as incoming documents."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ
from motcua.core.errors import TransitionRefused
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import holds
from motcua.core.services import audit, outbox
from motcua.core.services.numbering import next_number
from motcua.core.uploads import check_upload, stored_name

from ..models import (
    DocumentType,
    IncomingDocument,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingStatus,
    ReceivedVia,
)
from . import incoming
from .common import index_text

ORGANISATION_SYMBOL = "UBND"  # a People's Committee: "05/QĐ-UBND", "12/UBND-VP"
TRACKED = ["status", "number", "year", "reference", "issued_at", "signer"]


@dataclass
class Draft:
    type: DocumentType
    abstract: str
    drafting_office: str = "VP"
    confidentiality: str = "normal"
    urgency: str = "normal"
    external_recipients: str = ""
    recipient_units: list[AdministrativeUnit] = field(default_factory=list)
    reply_to: IncomingDocument | None = None
    file: UploadedFile | None = None  # the PDF to sign; none for a paper document
    attachments: list[UploadedFile] = field(default_factory=list)  # PDFs issued with it
    public: bool = False  # published on the unit's website once issued


def reference(number: int, document_type: DocumentType, office: str) -> str:
    """Numbers below 10 padded; a công văn carries the drafting office instead of a type."""
    if document_type.is_letter:
        return f"{number:02d}/{ORGANISATION_SYMBOL}-{office}"
    return f"{number:02d}/{document_type.abbreviation}-{ORGANISATION_SYMBOL}"


def draft(unit: AdministrativeUnit, data: Draft, *, actor: User) -> OutgoingDocument:
    if not holds(actor, unit, Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.DESK_OFFICER):
        raise TransitionRefused(_("Only staff of this unit draft its documents."), by_role=True)
    if data.type.is_letter and not data.abstract.strip().startswith("V/v"):
        raise ValidationError({"abstract": [_("A công văn's abstract starts with “V/v”.")]})
    units = data.recipient_units
    document = OutgoingDocument(
        unit=unit,
        drafted_by=actor,
        type=data.type,
        abstract=data.abstract.strip(),
        drafting_office=data.drafting_office.strip().upper() or "VP",
        confidentiality=data.confidentiality,
        urgency=data.urgency,
        external_recipients=data.external_recipients,
        reply_to=data.reply_to,
        public=data.public,
    )
    document.full_clean(exclude=["search_text"])
    _check_public(document)
    if data.file is not None and check_upload(data.file) != "application/pdf":
        raise ValidationError({"file": [_("Attach the document as a PDF file.")]})
    _check_attachments(data)
    with transaction.atomic():
        if data.file is not None:
            document.file.save(stored_name(data.file), data.file, save=False)
        document.search_text = index_text(document)  # with the text of the PDF
        document.save()
        document.recipient_units.set(units)
        for upload in data.attachments:
            attachment = OutgoingAttachment(document=document, name=_file_name(upload))
            attachment.file.save(stored_name(upload), upload, save=False)
            attachment.save()
        audit.record(
            actor=actor,
            action="outgoing.draft",
            unit=unit,
            obj=document,
            after=audit.snapshot(document, ["type", "abstract", "status"]),
        )
    return document


def _check_public(document: OutgoingDocument) -> None:
    if document.public and document.is_secret:
        raise ValidationError({"public": [_("A secret document is never published.")]})


def set_public(document: OutgoingDocument, *, actor: User, public: bool) -> OutgoingDocument:
    """Publish an issued document on the unit's website, or take it down (leader or clerk)."""
    if not holds(actor, document.unit, Role.LEADER, Role.CLERK):
        raise TransitionRefused(
            _("Only a leader or the office clerk publishes documents."), by_role=True
        )
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.public == public:
            return locked
        locked.public = public
        _check_public(locked)
        locked.save(update_fields=["public"])
        audit.record(
            actor=actor,
            action="outgoing.publish" if public else "outgoing.unpublish",
            unit=locked.unit,
            obj=locked,
            before={"public": not public},
            after={"public": public},
        )
    document.refresh_from_db()
    return document


def _check_attachments(data: Draft) -> None:
    """Văn bản kèm theo: PDF files, signed by the organisation at issue with the main one."""
    if data.attachments and data.file is None:
        raise ValidationError(
            {"attachments": [_("Attachments go with an electronic document: attach its PDF.")]}
        )
    for upload in data.attachments:
        try:
            is_pdf = check_upload(upload) == "application/pdf"
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
        if not is_pdf:
            raise ValidationError(
                {
                    "attachments": [
                        _("Attach “%(name)s” as a PDF file.") % {"name": upload.name or ""}
                    ]
                }
            )


def _file_name(upload: UploadedFile) -> str:
    name = Path(upload.name or "").name or "kem-theo.pdf"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def _move(
    document: OutgoingDocument,
    actor: User,
    action: str,
    sources: set[str],
    target: str,
    roles: tuple[str, ...],
    **changes: object,
) -> OutgoingDocument:
    if not holds(actor, document.unit, *roles):
        raise TransitionRefused(_("Your role does not allow this."), by_role=True)
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status not in sources:
            raise TransitionRefused(
                _("Cannot do this to a document that is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        before = audit.snapshot(locked, TRACKED)
        locked.status = target
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        audit.record(
            actor=actor,
            action=f"outgoing.{action}",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
    document.refresh_from_db()
    return document


def submit(document: OutgoingDocument, *, actor: User) -> OutgoingDocument:
    roles = (Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.DESK_OFFICER)
    return _move(document, actor, "submit", {OutgoingStatus.DRAFT}, OutgoingStatus.IN_REVIEW, roles)


def send_back(document: OutgoingDocument, *, actor: User, note: str) -> OutgoingDocument:
    if not note.strip():
        raise ValidationError({"note": [_("Say what to change.")]})
    return _move(
        document,
        actor,
        "send_back",
        {OutgoingStatus.IN_REVIEW},
        OutgoingStatus.DRAFT,
        (Role.LEADER,),
    )


def approve(document: OutgoingDocument, *, actor: User) -> OutgoingDocument:
    """The leader approves, becomes the signer and signs the PDF (if the document has one).

    A failed signature changes nothing: the document stays in review with the error shown.
    """
    from .signing import sign_by_leader

    if not holds(actor, document.unit, Role.LEADER):
        raise TransitionRefused(_("Your role does not allow this."), by_role=True)
    if document.status != OutgoingStatus.IN_REVIEW:
        raise TransitionRefused(
            _("Cannot do this to a document that is “%(status)s”.")
            % {"status": document.get_status_display()}
        )
    sign_by_leader(document, actor)  # slow: outside the transaction; stored only if it works
    return _move(
        document,
        actor,
        "approve",
        {OutgoingStatus.IN_REVIEW},
        OutgoingStatus.APPROVED,
        (Role.LEADER,),
        signer=actor,
        approved_at=timezone.now(),
        signed_file=document.signed_file.name or "",
    )


def issue(
    document: OutgoingDocument, *, actor: User, at: datetime | None = None
) -> OutgoingDocument:
    """Numbered at issue time (per unit and year, secret documents in their own series), then
    delivered to the recipient units of this deployment as incoming documents."""
    at = at or timezone.now()
    if not holds(actor, document.unit, Role.CLERK):
        raise TransitionRefused(_("Only the office clerk issues documents."), by_role=True)
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != OutgoingStatus.APPROVED:
            raise TransitionRefused(_("Only a document approved by a leader can be issued."))
        before = audit.snapshot(locked, TRACKED)
        locked.year = at.astimezone(VN_TZ).year
        locked.secret_series = locked.is_secret
        book = "outgoing-secret" if locked.secret_series else "outgoing"
        locked.number = next_number(locked.unit, book, str(locked.year))
        locked.reference = reference(locked.number, locked.type, locked.drafting_office)
        locked.status, locked.issued_at = OutgoingStatus.ISSUED, at
        locked.search_text = index_text(locked)
        from .signing import sign_by_organisation

        sign_by_organisation(locked)  # inside the transaction: a failure releases the number
        locked.save()
        audit.record(
            actor=actor,
            action="outgoing.issue",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
        for unit in locked.recipient_units.exclude(pk=locked.unit_id):
            _deliver(locked, unit, at)
        _send_by_email(locked, actor)
    document.refresh_from_db()
    return document


def _deliver(document: OutgoingDocument, unit: AdministrativeUnit, at: datetime) -> None:
    """Electronic exchange inside the deployment: it arrives registered, to be acknowledged,
    with the signed files, whose signatures the receiving unit checks on arrival."""
    data = incoming.IncomingData(
        issuer=document.unit.committee_name,
        reference=document.reference,
        document_date=at.astimezone(VN_TZ).date(),
        type=document.type,
        abstract=document.abstract,
        received_via=ReceivedVia.ELECTRONIC,
        urgency=document.urgency,
        confidentiality=document.confidentiality,
    )
    files = []
    for name, file in _files(document):
        with file.open("rb") as handle:
            files.append((name, handle.read()))
    # Each file is kept there through incoming.attach_file, which checks its signatures.
    incoming.register(
        unit, data, actor=None, at=at, source=document, confirm_duplicate=True, files=files
    )


def _files(document: OutgoingDocument) -> Iterator[tuple[str, FieldFile]]:
    """(name, file) of what is sent: the signed document, then the signed attachments."""
    main = document.signed_file or document.file
    if main:
        yield f"{document.reference}.pdf".replace("/", "-"), main
    for attachment in document.attachments.all():
        yield attachment.name, attachment.signed_file or attachment.file


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def email_recipients(document: OutgoingDocument) -> list[str]:
    """The e-mail addresses written among the other recipients (one line each, any format)."""
    return list(dict.fromkeys(EMAIL.findall(document.external_recipients)))


def _send_by_email(document: OutgoingDocument, actor: User) -> None:
    """Through the official mailbox: queued with the issue, sent after commit, retried."""
    files = [file.name for _name, file in _files(document) if file.name]
    for address in email_recipients(document):
        outbox.queue(
            "document_issued",
            {"document": document, "unit": document.unit},
            email=address,
            unit=document.unit,
            about=f"outgoing:{document.pk}",
            attachments=files,
            sent_by=actor,
        )
