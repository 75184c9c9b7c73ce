"""Documents the documents tests build again and again: a registered letter, an issued one."""

from datetime import date

from motcua.documents.models import DocumentType, IncomingDocument, OutgoingDocument
from motcua.documents.services import incoming, outgoing


def letter(unit, clerk, reference="123/UBND-VX", **changes) -> IncomingDocument:  # type: ignore[no-untyped-def]
    """A công văn from the province, registered by the unit's clerk."""
    data = incoming.IncomingData(
        issuer="UBND tỉnh Lâm Đồng",
        reference=reference,
        document_date=date(2026, 11, 20),
        type=DocumentType.objects.get(code="CV"),
        abstract=f"V/v cải cách hành chính ({reference})",
        **changes,
    )
    return incoming.register(unit, data, actor=clerk)


def issued_letter(unit, *, author, leader, clerk) -> OutgoingDocument:  # type: ignore[no-untyped-def]
    """A paper công văn drafted by ``author``, approved by ``leader``, issued by ``clerk``."""
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="CV"), abstract="V/v báo cáo cải cách hành chính"
    )
    document = outgoing.draft(unit, data, actor=author)
    outgoing.submit(document, actor=author)
    outgoing.approve(document, actor=leader)
    return outgoing.issue(document, actor=clerk)
