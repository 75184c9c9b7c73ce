"""Outgoing documents signed by the leader and, at issue, by the organisation with the number."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from motcua.certification.models import KeyKind, SigningKey
from motcua.certification.selectors import trust_roots
from motcua.certification.services.register import settings_for
from motcua.certification.verification import verify_pdf
from motcua.core.models import AuditEvent
from motcua.core.models.numbering import Counter
from motcua.core.varpaths import under_var_dir
from motcua.documents import seal
from motcua.documents.models import (
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
)
from motcua.documents.services import outgoing
from tests import sample_files
from tests.certification.test_signing import NSS_IMPORT


@pytest.fixture
def people(people, ward, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The same people, with demo signing keys for the Chairman and the committee."""
    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)
    return people


def pdf_file() -> SimpleUploadedFile:
    pdf = HTML(
        string='<html lang="vi"><body><h1>QUYẾT ĐỊNH</h1><p>Về việc kiện toàn tổ công'
        " tác cải cách hành chính</p></body></html>"
    ).write_pdf()
    return SimpleUploadedFile("quyet-dinh.pdf", pdf, content_type="application/pdf")


def _approved(ward, people):  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"),
        abstract="Về việc kiện toàn tổ công tác",
        file=pdf_file(),
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return document


def test_the_leader_signs_on_approval_and_the_organisation_signs_at_issue(ward, people):
    document = _approved(ward, people)
    report = verify_pdf(document.signed_file.read(), trust_roots(ward))
    assert report.ok and [s.signer_name for s in report.signatures] == ["chutich"]
    outgoing.issue(document, actor=people["clerk"])
    signed = document.signed_file.read()
    report = verify_pdf(signed, trust_roots(ward))
    assert report.ok and len(report.signatures) == 2
    assert document.reference == "01/QĐ-UBND"


def test_a_failed_signature_leaves_the_document_as_it_was(ward, people, settings):
    settings.MOTCUA_DEMO_PKI_PASSWORD = "sai"
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"), abstract="Về việc", file=pdf_file()
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    with pytest.raises(ValidationError, match="mật khẩu"):
        outgoing.approve(document, actor=people["chairman"])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW and not document.signed_file


def test_a_failed_organisation_signature_at_issue_releases_the_number(ward, people, settings):
    document = _approved(ward, people)
    right = settings.MOTCUA_DEMO_PKI_PASSWORD
    settings.MOTCUA_DEMO_PKI_PASSWORD = "sai"
    with pytest.raises(ValidationError):
        outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED and document.number is None
    settings.MOTCUA_DEMO_PKI_PASSWORD = right
    outgoing.issue(document, actor=people["clerk"])
    assert document.number == 1  # the failed attempt used no number


def test_only_a_pdf_can_be_attached_for_signing(ward, people):
    image = SimpleUploadedFile("anh.png", sample_files.PNG)
    with pytest.raises(ValidationError):
        outgoing.draft(
            ward,
            outgoing.Draft(
                type=DocumentType.objects.get(code="QD"), abstract="Về việc", file=image
            ),
            actor=people["officer"],
        )


# The organisation's signature as Nghị định 30/2020, Phụ lục I wants it


def _pdf(text: str, pages: int = 1) -> bytes:
    body = "".join(
        f'<section style="page-break-after: always"><h1>{text}</h1><p>Trang {n}</p></section>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f'<html lang="vi"><body>{body}</body></html>').write_pdf()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _with_attachments(ward, people, attachments, **draft):  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"),
        abstract="Về việc kiện toàn tổ công tác",
        file=_upload("quyet-dinh.pdf", _pdf("QUYẾT ĐỊNH", pages=2)),
        attachments=[_upload(name, data) for name, data in attachments],
        **draft,
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return document


def _widgets(pdf: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Signature field name → (page index, widget box) of every signature in the file."""
    found = {}
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig":
                found[str(widget["/T"])] = (index, tuple(float(v) for v in widget["/Rect"]))
    return found


def _signature_values(pdf: bytes) -> dict[str, dict]:  # type: ignore[type-arg]
    fields = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/AcroForm"]["/Fields"]
    return {str(f.get_object()["/T"]): f.get_object()["/V"].get_object() for f in fields}


def _pdfsig(pdf: bytes, ca: Path, tmp_path: Path) -> list[str]:
    """pdfsig's report per signature, with an NSS database that trusts the demo CA."""
    nss = tmp_path / "nss"
    nss.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", NSS_IMPORT, str(nss), str(ca)], check=True)
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True
    )
    return out.stdout.split("Signature #")[1:]


def test_the_seal_covers_the_left_third_of_the_leaders_signature(ward, people, tmp_path):
    document = _approved(ward, people)
    outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    signed = document.signed_file.read()

    widgets = _widgets(signed)
    leader_page, (lx1, ly1, lx2, ly2) = widgets["ChuKyLanhDao"]
    seal_page, (sx1, sy1, sx2, sy2) = widgets["ChuKyCoQuan"]
    assert seal_page == leader_page == len(PdfReader(io.BytesIO(signed)).pages) - 1
    width = lx2 - lx1
    assert sx1 < lx1 < sx2 < lx2  # it starts left of the leader's box and ends inside it
    assert abs((sx2 - lx1) - width / 3) <= 2  # overlapping a third of it
    assert abs((sx2 - sx1) - 36 * 72 / 25.4) <= 1 and abs((sy2 - sy1) - (sx2 - sx1)) <= 1
    assert sy1 < ly1 < ly2 < sy2  # at the height of the signature
    # The seal is an image with a transparency mask, not a text box.
    appearance = PdfReader(io.BytesIO(signed)).pages[seal_page]["/Annots"]
    seal = next(a.get_object() for a in appearance if a.get_object()["/T"] == "ChuKyCoQuan")
    images = _images(seal["/AP"]["/N"].get_object())
    assert images and all("/SMask" in image for image in images)
    # Its information: the organisation, the signing time; the number travels in the reason.
    value = _signature_values(signed)["ChuKyCoQuan"]
    assert value["/Name"] == ward.committee_name and document.reference in value["/Reason"]
    assert value["/M"].endswith("+07'00'")  # Vietnam time

    report = verify_pdf(signed, trust_roots(ward))
    assert report.ok, report.problems
    assert [s.field_name for s in report.signatures] == ["ChuKyLanhDao", "ChuKyCoQuan"]
    assert report.signatures[1].signer_name == ward.committee_name
    blocks = _pdfsig(signed, under_var_dir(settings_for(ward).trust_roots), tmp_path)
    assert len(blocks) == 2
    for block in blocks:
        assert "Signature Validation: Signature is Valid." in block
        assert "Certificate Validation: Certificate is Trusted." in block


def test_the_seal_image_is_red_round_transparent_and_drawn_once(ward, settings):
    first = seal.seal_path(ward)
    drawn = first.read_bytes()
    assert seal.seal_path(ward) == first and first.read_bytes() == drawn
    assert first.is_relative_to(settings.VAR_DIR)
    assert seal.texts(ward) == ("ỦY BAN NHÂN DÂN PHƯỜNG PHÚ THUỶ", "TỈNH LÂM ĐỒNG")
    image = Image.open(first)
    assert image.mode == "RGBA" and image.width == image.height
    assert image.getpixel((2, 2))[3] == 0  # a transparent corner
    assert image.getpixel((image.width // 2, image.height // 2)) == (*seal.INK, 255)  # the star
    first.unlink()
    assert seal.seal_path(ward).read_bytes() == drawn  # deterministic


def test_attachments_are_signed_top_right_with_the_number_and_time(ward, people, tmp_path):
    document = _with_attachments(
        ward, people, [("phu-luc-1.pdf", _pdf("PHỤ LỤC I", 2)), ("phu-luc-2.pdf", _pdf("DANH"))]
    )
    assert [a.name for a in document.attachments.all()] == ["phu-luc-1.pdf", "phu-luc-2.pdf"]
    assert not any(a.signed_file for a in document.attachments.all())  # the leader signs none
    outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()

    for attachment in document.attachments.all():
        signed = attachment.signed_file.read()
        report = verify_pdf(signed, trust_roots(ward))
        assert report.ok, report.problems
        assert [s.signer_name for s in report.signatures] == [ward.committee_name]
        page, (x1, y1, x2, y2) = _widgets(signed)["ChuKyCoQuan"]
        box = PdfReader(io.BytesIO(signed)).pages[0].mediabox
        assert page == 0
        assert x1 > float(box.right) / 2 and y1 > float(box.top) / 2  # top right
        assert float(box.right) - x2 < 40 and float(box.top) - y2 < 40
        path = tmp_path / attachment.name
        path.write_bytes(signed)
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True
        ).stdout
        assert document.reference in text
        assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text), text
        [block] = _pdfsig(
            signed, under_var_dir(settings_for(ward).trust_roots), tmp_path / str(attachment.pk)
        )
        assert "Signature Validation: Signature is Valid." in block
        assert "Certificate Validation: Certificate is Trusted." in block
    assert not _images_on(document.attachments.first().signed_file.read())  # no seal there


def test_a_damaged_attachment_stops_the_issue_and_changes_nothing(ward, people):
    # A damaged PDF is refused on upload (core.uploads), so the damage happens on disk after.
    document = _with_attachments(
        ward, people, [("tot.pdf", _pdf("PHỤ LỤC")), ("hong.pdf", _pdf("PHỤ LỤC 2"))]
    )
    damaged = document.attachments.get(name="hong.pdf").file
    with open(damaged.path, "wb") as out:
        out.write(b"%PDF-1.7\nkhong doc duoc")
    main_before = document.signed_file.name
    with pytest.raises(ValidationError, match=r"hong\.pdf"):
        outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED and document.number is None
    assert document.reference == "" and document.signed_file.name == main_before
    assert not any(a.signed_file for a in document.attachments.all())
    assert not Counter.objects.filter(
        unit=ward, book="outgoing", value__gt=0
    ).exists()  # no number used
    assert not AuditEvent.objects.filter(action="outgoing.issue").exists()


def test_a_document_sent_to_another_unit_arrives_with_its_signed_files(ward, other_ward, people):
    # Units of one deployment trust the same CA (here the demo CA of the sending ward).
    receiving = settings_for(other_ward)
    receiving.trust_roots = settings_for(ward).trust_roots
    receiving.save()
    document = _with_attachments(
        ward, people, [("phu-luc.pdf", _pdf("PHỤ LỤC"))], recipient_units=[other_ward]
    )
    outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()

    arrived = IncomingDocument.objects.get(unit=other_ward, source=document)
    files = list(arrived.files.order_by("pk"))
    assert [f.name for f in files] == ["01-QĐ-UBND.pdf", "phu-luc.pdf"]
    assert [f.signature_check for f in files] == ["valid", "valid"], [
        f.signature_report for f in files
    ]
    assert files[0].file.read() == document.signed_file.read()
    assert files[1].file.read() == document.attachments.get().signed_file.read()


@pytest.mark.django_db(transaction=True)
def test_an_emailed_document_carries_its_signed_attachments(ward, people, smtp_server):
    document = _with_attachments(
        ward,
        people,
        [("phu-luc.pdf", _pdf("PHỤ LỤC"))],
        external_recipients="Sở Nội vụ <vanthu.snv@lamdong.gov.vn>",
    )
    outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()

    mail = smtp_server.wait_for(1)[0]
    attached = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert len(attached) == 2
    assert document.signed_file.read() in attached.values()
    assert document.attachments.get().signed_file.read() in attached.values()


def test_attachments_are_drafted_from_the_form_and_listed_with_download_links(ward, people, client):
    client.force_login(people["officer"])
    response = client.post(
        reverse("documents-outgoing-new"),
        {
            "type": DocumentType.objects.get(code="QD").pk,
            "abstract": "Về việc ban hành quy chế",
            "drafting_office": "VP",
            "confidentiality": "normal",
            "urgency": "normal",
            "file": _upload("quyet-dinh.pdf", _pdf("QUYẾT ĐỊNH")),
            "attachments": [
                _upload("quy-che.pdf", _pdf("QUY CHẾ")),
                _upload("bieu-mau.pdf", _pdf("BIỂU MẪU")),
            ],
        },
    )
    document = OutgoingDocument.objects.get(abstract="Về việc ban hành quy chế")
    assert response.status_code == 302
    attachments = list(document.attachments.all())
    assert [a.name for a in attachments] == ["quy-che.pdf", "bieu-mau.pdf"]
    page = client.get(reverse("documents-outgoing", args=[document.pk])).content.decode()
    link = reverse("documents-outgoing-attachment", args=[document.pk, attachments[1].pk])
    assert link in page and "bieu-mau.pdf" in page
    download = client.get(link)
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "bieu-mau.pdf" in download["Content-Disposition"]


def test_an_attachment_must_be_a_pdf_and_go_with_an_electronic_document(ward, people):
    png = SimpleUploadedFile("anh.png", sample_files.PNG)
    kinds = {"type": DocumentType.objects.get(code="QD"), "abstract": "Về việc"}
    with pytest.raises(ValidationError) as not_pdf:
        outgoing.draft(
            ward,
            outgoing.Draft(**kinds, file=pdf_file(), attachments=[png]),
            actor=people["officer"],
        )
    with pytest.raises(ValidationError) as paper:
        outgoing.draft(
            ward,
            outgoing.Draft(**kinds, attachments=[_upload("phu-luc.pdf", _pdf("PHỤ LỤC"))]),
            actor=people["officer"],
        )
    assert "attachments" in not_pdf.value.message_dict
    assert "attachments" in paper.value.message_dict
    assert not OutgoingDocument.objects.exists()


def _images(xobject) -> list:  # type: ignore[no-untyped-def, type-arg]
    """Image XObjects drawn by an appearance stream, however deeply nested."""
    found, stack = [], [xobject]
    while stack:
        resources = stack.pop().get("/Resources", {})
        for item in resources.get("/XObject", {}).values():
            item = item.get_object()
            if item["/Subtype"] == "/Image":
                found.append(item)
            else:
                stack.append(item)
    return found


def _images_on(pdf: bytes) -> list:  # type: ignore[type-arg]
    found = []
    for annotation in PdfReader(io.BytesIO(pdf)).pages[0].get("/Annots") or []:
        found += _images(annotation.get_object()["/AP"]["/N"].get_object())
    return found


def _png(size: int, mode: str = "RGBA", image_format: str = "PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, (size, size), (200, 0, 0, 0) if mode == "RGBA" else (200, 0, 0)).save(
        out, format=image_format
    )
    return SimpleUploadedFile(f"dau.{image_format.lower()}", out.getvalue())


def test_the_seal_uploaded_with_the_organisation_key_is_the_one_on_the_document(ward, people):
    key = SigningKey.objects.get(unit=ward, kind=KeyKind.ORGANISATION, is_active=True)
    key.seal_image = _png(300)
    key.full_clean()
    key.save()
    document = _approved(ward, people)
    outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    signed = document.signed_file.read()
    page, _box = _widgets(signed)["ChuKyCoQuan"]
    annotations = PdfReader(io.BytesIO(signed)).pages[page]["/Annots"]
    widget = next(a.get_object() for a in annotations if a.get_object()["/T"] == "ChuKyCoQuan")
    images = _images(widget["/AP"]["/N"].get_object())
    # The uploaded 300-pixel image, not the drawn likeness (720 pixels).
    assert [(image["/Width"], image["/Height"]) for image in images] == [(300, 300)]
    assert verify_pdf(signed, trust_roots(ward)).ok


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_png(100, image_format="JPEG", mode="RGB"), "Hình con dấu phải là tệp PNG."),
        (_png(100, mode="RGB"), "Hình con dấu phải có nền trong suốt."),
        (SimpleUploadedFile("dau.png", b"not an image"), "không đọc được"),
    ],
)
def test_a_seal_image_must_be_a_transparent_png(ward, people, upload, message):
    key = SigningKey.objects.get(unit=ward, kind=KeyKind.ORGANISATION, is_active=True)
    key.seal_image = upload
    with pytest.raises(ValidationError) as raised:
        key.full_clean()
    assert message in " ".join(raised.value.message_dict["seal_image"])


def test_the_leaders_signature_goes_in_the_blank_above_the_printed_name(ward, people):
    chairman = people["chairman"]
    chairman.full_name = "Nguyễn Văn An"
    chairman.save()
    page = HTML(
        string='<html lang="vi"><body style="font-size:14pt"><h1>QUYẾT ĐỊNH</h1>'
        "<p>Về việc kiện toàn tổ công tác.</p><p>Nguyễn Văn An là Tổ trưởng.</p>"
        '<div style="margin-left:50%;text-align:center"><p>TM. ỦY BAN NHÂN DÂN</p>'
        '<p>CHỦ TỊCH</p><p style="margin-top:70pt">Nguyễn Văn An</p></div></body></html>'
    ).write_pdf()
    upload = SimpleUploadedFile("qd.pdf", page, content_type="application/pdf")
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"), abstract="Về việc kiện toàn", file=upload
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=chairman)
    signed = document.signed_file.read()

    _page, (x1, y1, x2, y2) = _widgets(signed)["ChuKyLanhDao"]
    lines = {}
    PdfReader(io.BytesIO(signed)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, *_: lines.setdefault(text.strip(), tm[5] * cm[3] + cm[5])
    )
    name, title = lines["Nguyễn Văn An"], lines["CHỦ TỊCH"]  # the block's line, not the body's
    assert name < y1 < y2 < title  # between the printed name and the title above it
    assert x1 > 595 / 2 - 60 and x2 - x1 == 210  # over the right-hand signature block
    assert verify_pdf(signed, trust_roots(ward)).ok
