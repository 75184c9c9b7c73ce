"""Digital signatures of outgoing documents: the leader's when approving, the organisation's
with the number and time when the clerk issues (Nghị định 30/2020, Phụ lục I)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from motcua.certification.models import KeyKind, SigningKey
from motcua.certification.pki import KeyFileError
from motcua.certification.services.signing import key_password
from motcua.certification.signing import SignatureSpec, SigningError, sign_pdf
from motcua.core.calendar import VN_TZ
from motcua.core.models import User

from ..models import OutgoingDocument


def _key(document: OutgoingDocument, kind: str, user: User | None = None) -> SigningKey:
    keys = SigningKey.objects.filter(unit=document.unit, kind=kind, is_active=True)
    key = keys.filter(user=user).first() if user is not None else keys.first()
    if key is None:
        raise ValidationError(_("No signing key is configured for this signature."))
    return key


def _box(pdf: bytes, page: int, corner: str) -> tuple[int, tuple[float, float, float, float]]:
    try:
        reader = PdfReader(__import__("io").BytesIO(pdf))
        reader.pages[0]
    except (PdfReadError, ValueError, IndexError) as error:
        raise ValidationError(_("The PDF file is damaged and cannot be signed.")) from error
    index = page if page >= 0 else len(reader.pages) + page
    box = reader.pages[index].mediabox
    right, top = float(box.right), float(box.top)
    if corner == "top-right":
        return index, (right - 230, top - 80, right - 20, top - 20)
    return index, (right - 230, float(box.bottom) + 40, right - 20, float(box.bottom) + 110)


def _sign(document: OutgoingDocument, pdf: bytes, key: SigningKey, spec: dict[str, Any]) -> bytes:
    try:
        return sign_pdf(
            pdf,
            SignatureSpec(
                p12_path=__import__("pathlib").Path(key.p12_path),
                password=key_password(key),
                **spec,
            ),
        )
    except (SigningError, KeyFileError) as error:
        raise ValidationError(
            _("The document could not be signed: %(error)s") % {"error": error}
        ) from error


def sign_by_leader(document: OutgoingDocument, leader: User) -> None:
    """Sets ``signed_file`` (not saved): the leader's visible signature on the last page."""
    if not document.file:
        return  # a paper document: signed by hand
    with document.file.open("rb") as handle:
        pdf = handle.read()
    signed = _sign(
        document,
        pdf,
        _key(document, KeyKind.SIGNER, leader),
        {
            "field_name": "ChuKyLanhDao",
            "reason": "Ký ban hành văn bản",
            "location": document.unit.name,
            "name": leader.get_full_name(),
            "visible": _box(pdf, -1, "bottom-right"),
            "stamp_text": leader.get_full_name(),
        },
    )
    document.signed_file.save(f"{document.pk}-ky.pdf", ContentFile(signed), save=False)


def sign_by_organisation(document: OutgoingDocument) -> None:
    """At issue: the organisation's signature top right with number, symbol and time."""
    if not document.signed_file:
        return
    with document.signed_file.open("rb") as handle:
        pdf = handle.read()
    assert document.issued_at is not None
    when = document.issued_at.astimezone(VN_TZ).isoformat(timespec="seconds")
    signed = _sign(
        document,
        pdf,
        _key(document, KeyKind.ORGANISATION),
        {
            "field_name": "ChuKyCoQuan",
            "reason": "Ban hành văn bản",
            "location": document.unit.name,
            "name": document.unit.committee_name,
            "visible": _box(pdf, 0, "top-right"),
            "stamp_text": f"{document.unit.committee_name}\n{document.reference}\n{when}",
        },
    )
    document.signed_file.save(
        f"{document.pk}-{document.number}.pdf", ContentFile(signed), save=False
    )
