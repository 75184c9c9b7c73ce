"""Electronic documents received: authenticity and integrity checked on arrival, misaddressed
ones returned to the sender (Nghị định 30/2020, Điều 21)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from weasyprint import HTML

from motcua.certification.models import KeyKind, SigningKey
from motcua.certification.services.signing import key_password
from motcua.certification.signing import SignatureSpec, sign_pdf
from motcua.core.errors import TransitionRefused
from motcua.core.models import AuditEvent, OutboxMessage, Role
from motcua.core.services.numbering import next_number
from motcua.documents import figures, selectors
from motcua.documents.models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    Mailbox,
    ReceivedVia,
)
from motcua.documents.services import incoming, outgoing
from tests.conftest import make_user


@pytest.fixture
def pki(ward, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)


def plain_pdf(text: str = "Công văn về việc rà soát thủ tục hành chính") -> bytes:
    return HTML(string=f'<html lang="vi"><body><p>{text}</p></body></html>').write_pdf()


def signed_pdf(ward) -> bytes:  # type: ignore[no-untyped-def]
    key = SigningKey.objects.get(unit=ward, kind=KeyKind.ORGANISATION)
    spec = SignatureSpec(
        p12_path=key.key_file,
        password=key_password(key),
        field_name="ChuKyCoQuan",
        reason="Ban hành văn bản",
        location=ward.name,
        name=ward.committee_name,
    )
    return sign_pdf(plain_pdf(), spec)


def letter(**changes):  # type: ignore[no-untyped-def]
    data = {
        "issuer": "UBND tỉnh Lâm Đồng",
        "reference": "88/UBND-VX",
        "document_date": date(2026, 11, 20),
        "type": DocumentType.objects.get(code="CV"),
        "abstract": "V/v rà soát thủ tục hành chính",
        "received_via": ReceivedVia.ELECTRONIC,
    }
    return incoming.IncomingData(**{**data, **changes})


def checks(document: IncomingDocument) -> dict[str, str]:
    return {f.name: f.signature_check for f in document.files.all()}


def test_every_received_file_is_checked_for_authentic_intact_signatures(ward, people, pki):
    good = signed_pdf(ward)
    tampered = good.replace(b"ChuKyCoQuan", b"ChuKyCoQuaN", 1)  # bytes changed after signing
    image = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(image, "PNG")
    document = incoming.register(
        ward,
        letter(),
        actor=people["clerk"],
        files=[
            ("ky-so.pdf", good),
            ("bi-sua.pdf", tampered),
            ("khong-ky.pdf", plain_pdf()),
            ("anh.png", image.getvalue()),
        ],
    )
    assert checks(document) == {
        "ky-so.pdf": "valid",
        "bi-sua.pdf": "invalid",
        "khong-ky.pdf": "unsigned",
        "anh.png": "not_pdf",
    }
    valid = document.files.get(name="ky-so.pdf")
    assert "hợp lệ" in valid.signature_report and valid.checked_at is not None
    assert "không hợp lệ" in document.files.get(name="bi-sua.pdf").signature_report


def test_a_signature_from_a_ca_the_unit_does_not_trust_is_not_valid(ward, other_ward, people, pki):
    clerk_b = make_user("vanthu_b", other_ward, Role.CLERK)  # no trusted CA configured there
    document = incoming.register(
        other_ward, letter(), actor=clerk_b, files=[("ky-so.pdf", signed_pdf(ward))]
    )
    row = document.files.get()
    assert row.signature_check == "invalid"
    assert "không do cơ quan tin cậy cấp" in row.signature_report


def test_the_text_of_a_registered_file_is_searchable(ward, people):
    incoming.register(
        ward,
        letter(),
        actor=people["clerk"],
        files=[("cv.pdf", plain_pdf("Kế hoạch kiểm tra công vụ quý IV"))],
    )
    assert selectors.search_incoming(people["clerk"], "kiem tra cong vu").count() == 1


def _arrived(ward, other_ward, people):  # type: ignore[no-untyped-def]
    clerk_b = make_user("vanthu_b", other_ward, Role.CLERK)
    draft = outgoing.draft(
        ward,
        outgoing.Draft(
            type=DocumentType.objects.get(code="CV"),
            abstract="V/v gửi nhầm",
            recipient_units=[other_ward],
        ),
        actor=people["officer"],
    )
    outgoing.submit(draft, actor=people["officer"])
    outgoing.approve(draft, actor=people["chairman"])
    outgoing.issue(draft, actor=people["clerk"])
    return draft, selectors.incoming_for(clerk_b).get(), clerk_b


def test_a_misaddressed_document_goes_back_and_leaves_every_queue(ward, other_ward, people):
    _sent, arrived, clerk_b = _arrived(ward, other_ward, people)
    with pytest.raises(ValidationError):
        incoming.return_to_sender(arrived, actor=clerk_b, reason="  ")
    incoming.return_to_sender(arrived, actor=clerk_b, reason="Không thuộc phạm vi của phường")
    assert arrived.status == IncomingStatus.RETURNED and arrived.returned_at is not None
    assert not selectors.to_direct(clerk_b).exists()
    assert not selectors.late_to_present(clerk_b).exists()
    event = AuditEvent.objects.get(action="outgoing.returned")
    assert event.unit == ward and event.after["reason"] == "Không thuộc phạm vi của phường"
    assert AuditEvent.objects.filter(action="incoming.return", unit=other_ward).exists()
    # It keeps its number (the register has no gaps): the next one is 2.
    assert next_number(other_ward, incoming.book(other_ward, False), str(arrived.year)) == 2
    # A returned document was never the unit's to handle: not in its figures.
    start, end = arrived.received_at.replace(day=1, hour=0), arrived.received_at.replace(day=28)
    table = figures.compute([other_ward.pk], start, end, ["docs_in_electronic"])
    share = table.value("docs_in_electronic", other_ward.pk)
    assert (share.numerator, share.denominator) == (0, 0)


def test_the_sender_sees_receipt_and_return_on_its_outgoing_document(
    client, ward, other_ward, people
):
    sent, arrived, clerk_b = _arrived(ward, other_ward, people)
    client.force_login(people["clerk"])
    page = client.get(reverse("documents-outgoing", args=[sent.pk])).content.decode()
    assert other_ward.name in page and "Chưa báo nhận" in page
    incoming.return_to_sender(arrived, actor=clerk_b, reason="Gửi nhầm phường")
    page = client.get(reverse("documents-outgoing", args=[sent.pk])).content.decode()
    assert "Gửi nhầm phường" in page and "trả lại" in page.lower()


def test_only_an_undirected_electronic_document_is_returned_and_only_by_the_clerk(ward, people):
    paper = incoming.register(ward, letter(received_via=ReceivedVia.POST), actor=people["clerk"])
    with pytest.raises(ValidationError):
        incoming.return_to_sender(paper, actor=people["clerk"], reason="Sai nơi nhận")
    electronic = incoming.register(ward, letter(reference="89/UBND-VX"), actor=people["clerk"])
    with pytest.raises(TransitionRefused):
        incoming.return_to_sender(electronic, actor=people["officer"], reason="Sai nơi nhận")
    incoming.direct(electronic, leader=people["chairman"], lead=people["officer"])
    with pytest.raises(TransitionRefused):
        incoming.return_to_sender(electronic, actor=people["clerk"], reason="Sai nơi nhận")
    assert electronic.status == IncomingStatus.DIRECTED


def test_a_misaddressed_mail_is_answered_from_the_official_mailbox(ward, people):
    Mailbox.objects.create(unit=ward, host="x", username="u", password_env="X")
    document = incoming.register(
        ward,
        letter(issuer="Sở Nội vụ <vanthu@snv.lamdong.gov.vn>", received_via=ReceivedVia.EMAIL),
        actor=None,
    )
    incoming.return_to_sender(document, actor=people["clerk"], reason="Gửi nhầm đơn vị")
    mail = OutboxMessage.objects.get(kind="document_returned")
    assert mail.recipient == "vanthu@snv.lamdong.gov.vn" and mail.sent_by == people["clerk"]
    assert "Gửi nhầm đơn vị" in mail.body


def test_the_clerk_registers_with_files_and_a_bad_file_loses_nothing(client, ward, people):
    client.force_login(people["clerk"])
    form = {
        "issuer": "UBND tỉnh Lâm Đồng",
        "reference": "90/UBND-VX",
        "document_date": "2026-11-20",
        "type": DocumentType.objects.get(code="CV").pk,
        "abstract": "V/v rà soát",
        "received_via": "post",
        "urgency": "normal",
        "confidentiality": "normal",
        "pages": 1,
    }
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/pdf")
    page = client.post(reverse("documents-incoming-new"), {**form, "files": [bad]})
    assert page.status_code == 200 and "không phải tệp PDF" in page.content.decode()
    assert 'value="90/UBND-VX"' in page.content.decode()  # what was typed is kept
    assert not IncomingDocument.objects.exists()
    scan = SimpleUploadedFile("cv.pdf", plain_pdf(), content_type="application/pdf")
    page = client.post(reverse("documents-incoming-new"), {**form, "files": [scan]})
    document = IncomingDocument.objects.get()
    assert document.number == 1 and checks(document) == {"cv.pdf": "unsigned"}
    detail = client.get(page.url).content.decode()
    assert "cv.pdf" in detail and "Không có chữ ký số" in detail


def test_opening_a_file_of_a_confidential_document_is_audited(client, ward, people):
    document = incoming.register(
        ward,
        letter(confidentiality="secret"),
        actor=people["clerk"],
        files=[("mat.pdf", plain_pdf())],
    )
    row = document.files.get()
    client.force_login(people["clerk"])
    response = client.get(reverse("documents-incoming-file", args=[document.pk, row.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="incoming.file_view", actor=people["clerk"]).exists()
    client.force_login(people["other"])  # not named on it
    response = client.get(reverse("documents-incoming-file", args=[document.pk, row.pk]))
    assert response.status_code == 404
