"""Digital signatures of outgoing documents (Nghị định 30/2020, Phụ lục I).

- At approval, the leader's visible signature, bottom right of the last page.
- At issue, the organisation's signature:
  * on the main document, the image of the unit's red seal (``documents.seal``) at its real
    size, on the same page as the leader's signature and over the left third of it. Its
    information is the organisation's name (its certificate and /Name) and the signing time
    (/M, written in Vietnam time: Django sets the process's zone from TIME_ZONE).
  * on each attachment (văn bản kèm theo), no image: a text box top right of its first page
    with the number and symbol and the signing time (ISO 8601, Vietnam time).

The number and symbol of the main document are not written onto its page: the leader has
already signed that page, and anything added after a signature other than filling a signature
field breaks it (``certification.verification`` accepts nothing else), while the decree's seal
carries no text. The reference therefore travels with the organisation's signature as its
reason ("Ban hành văn bản số 05/QĐ-UBND", shown in every reader's signature panel), in the
stored file's name and the e-mailed file, in the outgoing register, and on every attachment.
"""

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader

from motcua.certification.models import KeyKind, SigningKey
from motcua.certification.pki import KeyFileError
from motcua.certification.services.signing import key_password
from motcua.certification.signing import Rect, SignatureSpec, SigningError, sign_pdf
from motcua.core.calendar import VN_TZ
from motcua.core.models import User

from ..models import OutgoingAttachment, OutgoingDocument
from ..seal import SEAL_POINTS, seal_for

LEADER_FIELD = "ChuKyLanhDao"
SIGNATURE_WIDTH, SIGNATURE_HEIGHT, SIGNATURE_MIN_HEIGHT = 210.0, 70.0, 36.0  # points
ORGANISATION_FIELD = "ChuKyCoQuan"


def _key(document: OutgoingDocument, kind: str, user: User | None = None) -> SigningKey:
    keys = SigningKey.objects.filter(unit=document.unit, kind=kind, is_active=True)
    key = keys.filter(user=user).first() if user is not None else keys.first()
    if key is None:
        raise ValidationError(_("No signing key is configured for this signature."))
    return key


def _damaged() -> ValidationError:
    return ValidationError(_("The PDF file is damaged and cannot be signed."))


def _reader(pdf: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        reader.pages[0].mediabox  # noqa: B018  (parses the page tree and the first page)
    except Exception as error:  # pypdf raises many kinds on a broken file
        raise _damaged() from error
    return reader


def _read(file: FieldFile) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read()
    except OSError as error:
        raise _damaged() from error


def _box(pdf: bytes, page: int, corner: str) -> tuple[int, Rect]:
    reader = _reader(pdf)
    index = page if page >= 0 else len(reader.pages) + page
    box = reader.pages[index].mediabox
    right, top = float(box.right), float(box.top)
    if corner == "top-right":
        return index, (right - 230, top - 80, right - 20, top - 20)
    return index, (right - 230, float(box.bottom) + 40, right - 20, float(box.bottom) + 110)


@dataclass(frozen=True)
class _Line:
    text: str
    x: float  # start of the baseline, in the page's user space
    y: float
    size: float  # in points, after the page's transformations


def _lines(page: PageObject) -> list[_Line]:
    found: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
            found.append(_Line(unicodedata.normalize("NFC", text.strip()), x, y, size * scale))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # a page pypdf cannot read as text: no placement hint
        return []
    return found


def leader_box(pdf: bytes, name: str) -> tuple[int, Rect]:
    """Where the leader's signature goes on the last page: in the blank above the signer's
    printed name, between it and the title line above ("CHỦ TỊCH"), as a hand signature
    would (Phụ lục I, "chữ ký của người có thẩm quyền"). Bottom right when the name is not
    on the page as text (a scan)."""
    reader = _reader(pdf)
    index = len(reader.pages) - 1
    page = reader.pages[index]
    wanted = unicodedata.normalize("NFC", name).casefold()
    lines = _lines(page)
    named = [line for line in lines if wanted and line.text.casefold() == wanted]
    if not named:
        return _box(pdf, -1, "bottom-right")
    line = min(named, key=lambda found: found.y)  # the lowest: the signature block's
    width, height = SIGNATURE_WIDTH, SIGNATURE_HEIGHT
    centre = line.x + len(line.text) * line.size * 0.25  # about half the name's width
    bottom = line.y + line.size * 0.8  # clear of its capitals
    above = [o.y - o.size * 0.3 for o in lines if o.y > bottom and abs(o.x - line.x) < width]
    if above:  # do not cover the title line
        height = max(min(height, min(above) - bottom), SIGNATURE_MIN_HEIGHT)
    media = page.mediabox
    left = min(max(centre - width / 2, float(media.left) + 10), float(media.right) - 10 - width)
    return index, (left, bottom, left + width, bottom + height)


def signature_box(pdf: bytes, field_name: str) -> tuple[int, Rect] | None:
    """The page index and box (x1, y1, x2, y2) of a visible signature field, if there is one."""
    reader = _reader(pdf)
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            name = widget.get("/T")
            if name is None and "/Parent" in widget:
                name = widget["/Parent"].get_object().get("/T")
            if name == field_name and "/Rect" in widget:
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                return index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    return None


def seal_box(leader: Rect, size: float = SEAL_POINTS) -> Rect:
    """The seal at its real size, centred on the height of the leader's signature and covering
    the left third of it (Phụ lục I: "trùm lên khoảng 1/3 hình ảnh chữ ký số của người có
    thẩm quyền về bên trái")."""
    x1, y1, x2, y2 = leader
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    return (right - size, middle - size / 2, right, middle + size / 2)


def _sign(pdf: bytes, key: SigningKey, spec: dict[str, Any]) -> bytes:
    try:
        return sign_pdf(
            pdf,
            SignatureSpec(p12_path=key.key_file, password=key_password(key), **spec),
        )
    except (SigningError, KeyFileError) as error:
        raise ValidationError(
            _("The document could not be signed: %(error)s") % {"error": error}
        ) from error


def sign_by_leader(document: OutgoingDocument, leader: User) -> None:
    """Sets ``signed_file`` (not saved): the leader's visible signature on the last page,
    above the printed name."""
    if not document.file:
        return  # a paper document: signed by hand
    pdf = _read(document.file)
    signed = _sign(
        pdf,
        _key(document, KeyKind.SIGNER, leader),
        {
            "field_name": LEADER_FIELD,
            "reason": "Ký ban hành văn bản",
            "location": document.unit.name,
            "name": leader.get_full_name(),
            "visible": leader_box(pdf, leader.get_full_name()),
            "stamp_text": leader.get_full_name(),
        },
    )
    document.signed_file.save(f"{document.pk}-ky.pdf", ContentFile(signed), save=False)


def sign_by_organisation(document: OutgoingDocument) -> None:
    """At issue, inside its transaction, once the number is taken: the seal on the main
    document, the number and time on each attachment.

    Everything is signed in memory first and stored only when every signature succeeded: a
    failure raises ValidationError (naming the attachment if it was one) before any file or
    row changes, and the caller's rollback gives the number back. ``document.signed_file`` is
    set but not saved; the attachments' rows are saved. The time on the attachments is the
    moment of signing (as in each signature's /M), not ``issued_at``, which may be backdated.
    """
    attachments = list(document.attachments.all())
    if not document.signed_file and not attachments:
        return  # a paper document
    key = _key(document, KeyKind.ORGANISATION)
    reason = f"Ban hành văn bản số {document.reference}"
    main = _sign_main(document, key, reason) if document.signed_file else None
    when = timezone.now().astimezone(VN_TZ).isoformat(timespec="seconds")
    signed = [(a, _sign_attachment(document, a, key, reason, when)) for a in attachments]
    if main is not None:
        document.signed_file.save(
            f"{document.pk}-{document.number}.pdf", ContentFile(main), save=False
        )
    for index, (attachment, pdf) in enumerate(signed, start=1):
        stem = Path(attachment.name).stem or "kem-theo"
        attachment.signed_file.save(
            f"{document.pk}-{document.number}-{index}-{stem}.pdf", ContentFile(pdf), save=False
        )
        attachment.save(update_fields=["signed_file"])


def _sign_main(document: OutgoingDocument, key: SigningKey, reason: str) -> bytes:
    pdf = _read(document.signed_file)
    leader = signature_box(pdf, LEADER_FIELD) or _box(pdf, -1, "bottom-right")
    page, box = leader
    spec = _organisation(document, reason, (page, seal_box(box)), image=seal_for(key))
    return _sign(pdf, key, spec)


def _organisation(
    document: OutgoingDocument, reason: str, visible: tuple[int, Rect], **style: Any
) -> dict[str, Any]:
    """The organisation's signature: its name, the unit's place, the issue as the reason."""
    return {
        "field_name": ORGANISATION_FIELD,
        "reason": reason,
        "location": document.unit.name,
        "name": document.unit.committee_name,
        "visible": visible,
        **style,
    }


def _sign_attachment(
    document: OutgoingDocument,
    attachment: OutgoingAttachment,
    key: SigningKey,
    reason: str,
    when: str,
) -> bytes:
    try:
        pdf = _read(attachment.file)
        box = _box(pdf, 0, "top-right")
        spec = _organisation(document, reason, box, stamp_text=f"{document.reference}\n{when}")
        return _sign(pdf, key, spec)
    except ValidationError as error:
        raise ValidationError(
            _("Attachment “%(name)s”: %(error)s")
            % {"name": attachment.name, "error": " ".join(error.messages)}
        ) from error
